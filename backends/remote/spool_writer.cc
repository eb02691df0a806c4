#include "spool_writer.h"

#include "maxiofs/common/base64.h"
#include "maxiofs/common/no_wait.h"

#include <dirent.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace maxiofs::backends::remote {
namespace {

Status Posix(const std::string& what, int err) {
  if (err == ENOSPC || err == EDQUOT) return Status::StorageFull(what + ": " + std::strerror(err));
  return Status::IOError(what + ": " + std::strerror(err));
}

// Incremental MD5 (OpenSSL EVP), finished as base64 (a Content-MD5 value) part by part.
class Md5 {
 public:
  Md5() : ctx_(EVP_MD_CTX_new()) { EVP_DigestInit_ex(ctx_, EVP_md5(), nullptr); }
  ~Md5() { EVP_MD_CTX_free(ctx_); }
  Md5(const Md5&) = delete;
  Md5& operator=(const Md5&) = delete;
  void Update(const char* p, size_t n) { EVP_DigestUpdate(ctx_, p, n); }
  std::string FinishBase64() {
    unsigned char d[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_, d, &len);
    EVP_DigestInit_ex(ctx_, EVP_md5(), nullptr);
    return Base64Encode(std::string_view(reinterpret_cast<const char*>(d), len));
  }

 private:
  EVP_MD_CTX* ctx_;
};

class SpoolWriter final : public BlobWriter {
 public:
  SpoolWriter(BlobId id, std::string path, UniqueFd fd, uint64_t size, bool adopted,
              uint64_t part_size, UploadFn upload)
      : id_(std::move(id)),
        path_(std::move(path)),
        fd_(std::move(fd)),
        size_(size),
        adopted_(adopted),
        part_size_(part_size),
        upload_(std::move(upload)) {}
  ~SpoolWriter() override {
    fd_.Reset();
    if (!path_.empty()) ::unlink(path_.c_str());
  }

  const BlobId& id() const override { return id_; }
  uint64_t size() const override { return size_; }

  Status Append(std::span<const char> data) override {
    if (!error_.ok()) return error_;
    if (adopted_) return error_ = Status::Internal("append to an adopted blob");
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      // A part boundary may fall inside this piece: each part has its own MD5.
      const uint64_t in_part = size_ % part_size_;
      const size_t take = static_cast<size_t>(std::min<uint64_t>(left, part_size_ - in_part));
      md5_.Update(p, take);
      size_t done = 0;
      while (done < take) {
        ssize_t n = ::write(fd_.get(), p + done, take - done);
        if (n < 0) {
          if (errno == EINTR) continue;
          return error_ = Posix("write " + path_, errno);
        }
        done += static_cast<size_t>(n);
      }
      size_ += take;
      p += take;
      left -= take;
      if (size_ % part_size_ == 0) md5s_.push_back(md5_.FinishBase64());
    }
    return Status::OK();
  }

  Status Commit(bool sync) override {
    (void)sync;  // durability is the service's: its success answer means stored
    if (!error_.ok()) return error_;
    if (committed_) return Status::Internal("blob committed twice");
    if (adopted_) MAXIOFS_RETURN_IF_ERROR(HashFile());
    if (size_ % part_size_ != 0 || size_ == 0) md5s_.push_back(md5_.FinishBase64());
    Spool spool{fd_.get(), size_, part_size_, md5s_};
    Status s = upload_(id_, spool);
    if (!s.ok()) {
      // A later Commit would need the digests again: this writer is done either way.
      return error_ = s;
    }
    committed_ = true;
    return Status::OK();
  }

 private:
  Status HashFile() {
    std::vector<char> buf(1 << 20);
    uint64_t off = 0;
    while (off < size_) {
      const size_t want = static_cast<size_t>(
          std::min<uint64_t>({buf.size(), size_ - off, part_size_ - off % part_size_}));
      ssize_t n = ::pread(fd_.get(), buf.data(), want, static_cast<off_t>(off));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Posix("read the file to upload", n < 0 ? errno : EIO);
      md5_.Update(buf.data(), static_cast<size_t>(n));
      off += static_cast<uint64_t>(n);
      if (off % part_size_ == 0) md5s_.push_back(md5_.FinishBase64());
    }
    return Status::OK();
  }

  const BlobId id_;
  const std::string path_;  // the spool file ("" when adopted: the caller's)
  UniqueFd fd_;
  uint64_t size_ = 0;
  const bool adopted_;
  const uint64_t part_size_;
  UploadFn upload_;
  Md5 md5_;
  std::vector<std::string> md5s_;  // base64, one per finished part
  bool committed_ = false;
  Status error_;
};

class StreamReader final : public BlobReader {
 public:
  static constexpr uint64_t kMaxSkip = 1 << 20;  // read forward rather than reconnect
  static constexpr int kReopens = 3;             // cut-off streams resumed per read

  StreamReader(std::string name, OpenStreamFn open, std::unique_ptr<s3client::ObjectStream> s,
               uint64_t pos, uint64_t end)
      : name_(std::move(name)),
        open_(std::move(open)),
        size_(s->object_size()),
        stream_(std::move(s)),
        pos_(pos),
        end_(std::min(end, size_)) {}

  uint64_t size() const override { return size_; }

  Result<size_t> ReadAt(uint64_t offset, std::span<char> out) override {
    if (offset >= size_ || out.empty()) return size_t{0};
    if (NoWaitActive()) {
      NoteWouldBlock();
      return Status::WouldBlock("a remote blob is never read on a thread that must not wait");
    }
    if (stream_ && offset != pos_) {
      if (offset > pos_ && offset - pos_ <= kMaxSkip && offset < end_) {
        Skip(offset - pos_);
      } else {
        stream_.reset();
      }
    }
    for (int tries = 0;; ++tries) {
      if (!stream_ || pos_ >= end_) MAXIOFS_RETURN_IF_ERROR(Reopen(offset));
      const size_t want = static_cast<size_t>(std::min<uint64_t>(out.size(), end_ - pos_));
      auto n = stream_->Read(out.first(want));
      if (n.has_value() && *n > 0) {
        pos_ += *n;
        return *n;
      }
      // Cut off (an error, or an end before the range's): resume where it stopped.
      stream_.reset();
      if (tries >= kReopens) {
        return n.has_value() ? Status::Unavailable("remote blob stream ended early: " + name_)
                             : n.error();
      }
    }
  }

 private:
  Status Reopen(uint64_t offset) {
    MAXIOFS_ASSIGN_OR_RETURN(stream_, open_(offset, std::nullopt));
    if (stream_->object_size() != size_) {
      stream_.reset();
      return Status::Corruption("remote blob changed size: " + name_);
    }
    pos_ = offset;
    end_ = size_;
    return Status::OK();
  }

  void Skip(uint64_t n) {
    char buf[16384];
    while (n > 0) {
      auto got = stream_->Read(std::span<char>(buf, std::min<uint64_t>(n, sizeof(buf))));
      if (!got.has_value() || *got == 0) {
        stream_.reset();  // the read reopens at its offset
        return;
      }
      n -= *got;
      pos_ += *got;
    }
  }

  const std::string name_;
  OpenStreamFn open_;
  const uint64_t size_;
  std::unique_ptr<s3client::ObjectStream> stream_;
  uint64_t pos_ = 0;  // offset of the stream's next byte
  uint64_t end_ = 0;  // where the stream's range ends
};

}  // namespace

std::unique_ptr<BlobWriter> NewSpoolWriter(BlobId id, std::string path, UniqueFd fd,
                                           uint64_t part_size, UploadFn upload) {
  return std::make_unique<SpoolWriter>(std::move(id), std::move(path), std::move(fd), 0, false,
                                       part_size, std::move(upload));
}

std::unique_ptr<BlobWriter> NewAdoptedWriter(BlobId id, UniqueFd fd, uint64_t size,
                                             uint64_t part_size, UploadFn upload) {
  return std::make_unique<SpoolWriter>(std::move(id), "", std::move(fd), size, true, part_size,
                                       std::move(upload));
}

std::unique_ptr<BlobReader> NewStreamReader(std::string name, OpenStreamFn open,
                                            std::unique_ptr<s3client::ObjectStream> first,
                                            uint64_t offset, uint64_t length) {
  const uint64_t end = length > 0 ? offset + length : UINT64_MAX;
  return std::make_unique<StreamReader>(std::move(name), std::move(open), std::move(first), offset,
                                        end);
}

Result<std::unique_ptr<BlobWriter>> CreateRemoteWriter(const std::string& spool_dir,
                                                       uint64_t part_size, UploadFn upload) {
  BlobId id = NewBlobId();
  MAXIOFS_ASSIGN_OR_RETURN(auto spool, CreateSpoolFile(spool_dir, id));
  return NewSpoolWriter(std::move(id), std::move(spool.first), std::move(spool.second), part_size,
                        std::move(upload));
}

Result<std::unique_ptr<BlobWriter>> AdoptRemoteWriter(int fd, uint64_t size, uint64_t part_size,
                                                      UploadFn upload) {
  // The file is uploaded from where it is: the caller's file stays unchanged until Commit
  // returns, as the contract requires.
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || static_cast<uint64_t>(st.st_size) != size) {
    return Status::NotImplemented("only a regular file of the given size is adopted");
  }
  UniqueFd own(::fcntl(fd, F_DUPFD_CLOEXEC, 0));
  if (!own.valid()) return Status::IOError(std::string("dup: ") + std::strerror(errno));
  return NewAdoptedWriter(NewBlobId(), std::move(own), size, part_size, std::move(upload));
}

Result<std::unique_ptr<BlobReader>> OpenStreamReader(std::string name, OpenStreamFn open,
                                                     uint64_t offset, uint64_t length) {
  if (NoWaitActive()) {
    NoteWouldBlock();
    return Status::WouldBlock("a remote blob is never opened on a thread that must not wait");
  }
  MAXIOFS_ASSIGN_OR_RETURN(
      auto first, open(offset, length > 0 ? std::optional<uint64_t>(length) : std::nullopt));
  return NewStreamReader(std::move(name), std::move(open), std::move(first), offset, length);
}

Result<uint64_t> RemoveSpoolFiles(const std::string& dir) {
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(dir.c_str()), &::closedir);
  if (!d) return Posix("opendir " + dir, errno);
  uint64_t removed = 0;
  while (struct dirent* e = ::readdir(d.get())) {
    if (!IsValidBlobId(e->d_name)) continue;
    const std::string p = dir + "/" + e->d_name;
    if (::unlink(p.c_str()) == 0) ++removed;
  }
  return removed;
}

Result<std::pair<std::string, UniqueFd>> CreateSpoolFile(const std::string& dir, const BlobId& id) {
  std::string path = dir + "/" + id;
  UniqueFd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0640));
  if (!fd.valid()) return Posix("create " + path, errno);
  return std::make_pair(std::move(path), std::move(fd));
}

}  // namespace maxiofs::backends::remote
