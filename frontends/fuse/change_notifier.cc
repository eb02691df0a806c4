#include "change_notifier.h"

#include "node_path.h"

#include <string>

namespace maxiofs::fuse {
namespace {

thread_local const void* tls_op_owner = nullptr;

}  // namespace

OwnOpScope::OwnOpScope(const void* owner) : saved_(tls_op_owner) { tls_op_owner = owner; }
OwnOpScope::~OwnOpScope() { tls_op_owner = saved_; }
bool OwnOpScope::Active(const void* owner) { return tls_op_owner == owner; }

ChangeNotifier::ChangeNotifier(const void* owner, const InodeTable& table)
    : owner_(owner), table_(table) {}

ChangeNotifier::~ChangeNotifier() { Stop(); }

void ChangeNotifier::Start(fuse_session* session) {
  session_ = session;
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void ChangeNotifier::Stop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
    queue_.clear();
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void ChangeNotifier::OnChange(const engine::ChangeEvent& event) {
  if (OwnOpScope::Active(owner_)) return;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (stop_) return;
    if (queue_.size() >= kMaxQueued) {
      dropped_.fetch_add(1);
      return;
    }
    queue_.push_back(event);
  }
  cv_.notify_one();
}

void ChangeNotifier::Run() {
  std::unique_lock<std::mutex> l(mu_);
  while (true) {
    cv_.wait(l, [this] { return stop_ || !queue_.empty(); });
    if (stop_) return;
    engine::ChangeEvent ev = std::move(queue_.front());
    queue_.pop_front();
    l.unlock();
    Deliver(ev);  // no lock of ours is held here
    l.lock();
  }
}

void ChangeNotifier::InvalEntry(fuse_ino_t parent, std::string_view name) {
  // -ENOENT just means the kernel has nothing cached for it.
  fuse_lowlevel_notify_inval_entry(session_, parent, name.data(), name.size());
  invalidations_.fetch_add(1);
}

void ChangeNotifier::Deliver(const engine::ChangeEvent& ev) {
  using Kind = engine::ChangeEvent::Kind;
  if (ev.kind == Kind::kBucketCreated || ev.kind == Kind::kBucketRemoved) {
    if (IsValidName(ev.bucket)) InvalEntry(InodeTable::kRootIno, ev.bucket);
    return;
  }
  if (!IsRepresentableKey(ev.key)) return;  // hidden from the mount anyway
  // Walk the ancestors: a new key can make directories appear that the kernel may hold as
  // negative entries. A directory the kernel already knows (it has an inode) is positive
  // and stays; the last segment is always refreshed.
  std::string dir = ev.bucket + "/";
  std::string_view rest = ev.key;
  while (true) {
    size_t slash = rest.find('/');
    bool last = slash == std::string_view::npos || slash + 1 == rest.size();
    std::string_view name = rest.substr(0, slash);
    std::optional<fuse_ino_t> parent = table_.Find(dir);
    if (!parent) return;  // the kernel knows nothing below an unknown directory
    std::string child = ChildPath(dir, name, slash != std::string_view::npos);
    if (last) {
      std::optional<fuse_ino_t> ino = table_.Find(child);
      if (ino && ev.kind == Kind::kObjectWritten) {
        fuse_lowlevel_notify_inval_inode(session_, *ino, 0, 0);
        invalidations_.fetch_add(1);
        // A name of a hard-linked file may have left its group (an S3 write detaches it):
        // the kernel must look the name up again to find the inode it names now.
        if (table_.PathsOf(*ino).size() > 1) InvalEntry(*parent, name);
      } else {
        InvalEntry(*parent, name);
      }
      return;
    }
    if (!table_.Find(child)) InvalEntry(*parent, name);
    dir = std::move(child);
    rest.remove_prefix(slash + 1);
  }
}

}  // namespace maxiofs::fuse
