#include "maxiofs/backends/fault_blob_store.h"

#include <memory>
#include <string>
#include <string_view>

namespace maxiofs::backends {
namespace {

// The error a numbered fault answers with.
Status Injected(const FaultPlan& plan, std::string_view what) {
  const std::string msg = "injected: " + std::string(what);
  return plan.error() == FaultPlan::Error::kNoSpace
             ? Status::StorageFull(msg + ": No space left on device")
             : Status::IOError(msg + ": Input/output error");
}

class FaultWriter final : public BlobWriter {
 public:
  FaultWriter(std::unique_ptr<BlobWriter> base, std::shared_ptr<FaultSwitches> faults)
      : base_(std::move(base)), faults_(std::move(faults)) {}
  const BlobId& id() const override { return base_->id(); }
  Status Append(std::span<const char> data) override {
    if (faults_->plan.Hit()) {
      // A short write: part of the bytes reached the file before the device gave up.
      base_->Append(data.first(data.size() / 2)).IgnoreError();  // failing anyway
      return Injected(faults_->plan, "append");
    }
    return base_->Append(data);
  }
  uint64_t size() const override { return base_->size(); }
  Status Commit(bool sync) override {
    if (faults_->plan.Hit()) return Injected(faults_->plan, "commit (sync)");
    MAXIOFS_RETURN_IF_ERROR(base_->Commit(sync));
    if (faults_->lose_commit_answer) return Status::Unavailable("injected: commit answer lost");
    return Status::OK();
  }

 private:
  std::unique_ptr<BlobWriter> base_;
  std::shared_ptr<FaultSwitches> faults_;
};

class FaultBlobStore final : public BlobStore {
 public:
  FaultBlobStore(std::shared_ptr<BlobStore> base, std::shared_ptr<FaultSwitches> faults)
      : base_(std::move(base)), faults_(std::move(faults)) {}

  Result<std::unique_ptr<BlobWriter>> Create() override {
    if (faults_->fail_create) return Status::IOError("injected: create failed");
    if (faults_->plan.Hit()) return Injected(faults_->plan, "create");
    MAXIOFS_ASSIGN_OR_RETURN(auto w, base_->Create());
    return std::unique_ptr<BlobWriter>(std::make_unique<FaultWriter>(std::move(w), faults_));
  }
  Result<std::unique_ptr<BlobReader>> Open(std::string_view id) override {
    if (faults_->fail_open) return Status::IOError("injected: open failed");
    if (faults_->plan.Hit()) return Injected(faults_->plan, "open");
    return base_->Open(id);
  }
  Status Delete(std::string_view id) override {
    ++faults_->deletes;
    if (faults_->fail_delete) return Status::IOError("injected: delete failed");
    if (faults_->plan.Hit()) return Injected(faults_->plan, "delete");
    return base_->Delete(id);
  }
  Status Discard(std::string_view id) override {
    ++faults_->deletes;
    if (faults_->fail_delete) return Status::IOError("injected: delete failed");
    if (faults_->plan.Hit()) return Injected(faults_->plan, "discard");
    return base_->Discard(id);
  }
  Status ForEach(const std::function<void(const BlobId&)>& fn) override {
    return base_->ForEach(fn);
  }
  Result<uint64_t> RemoveUnfinished() override { return base_->RemoveUnfinished(); }
  Result<SpaceInfo> Space() override { return base_->Space(); }
  Result<std::unique_ptr<BlobReader>> OpenRange(std::string_view id, uint64_t offset,
                                                uint64_t length) override {
    if (faults_->fail_open) return Status::IOError("injected: open failed");
    if (faults_->plan.Hit()) return Injected(faults_->plan, "open");
    return base_->OpenRange(id, offset, length);
  }
  Status Ping() override {
    if (faults_->fail_open) return Status::Unavailable("injected: store down");
    return base_->Ping();
  }
  std::string_view kind() const override { return base_->kind(); }
  BlobStoreCounters counters() const override { return base_->counters(); }

 private:
  std::shared_ptr<BlobStore> base_;
  std::shared_ptr<FaultSwitches> faults_;
};

}  // namespace

std::unique_ptr<BlobStore> NewFaultBlobStore(std::shared_ptr<BlobStore> base,
                                             std::shared_ptr<FaultSwitches> faults) {
  return std::make_unique<FaultBlobStore>(std::move(base), std::move(faults));
}

}  // namespace maxiofs::backends
