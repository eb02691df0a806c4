// FuseMount: the engine exposed as a POSIX file system through libfuse3's low-level API.
//
// Layout of the mount: the root lists buckets (mkdir/rmdir at the root create/delete
// buckets); inside a bucket '/' in keys makes directories, an empty directory is a "dir/"
// marker object, and keys that cannot be paths (empty segments, "." or "..", a segment over
// 255 bytes) are hidden and counted (hidden_keys()). POSIX attributes live in the object's
// user metadata under s3fs's names ("mode" with the file type, "uid", "gid", "rdev", and
// "mtime", "ctime", "atime" = decimal seconds with an optional ".nnnnnnnnn" fraction), so
// buckets move between s3fs and MaxIOFS; FIFOs, devices and sockets are zero-length objects.
// Hard links are engine link groups (Engine::LinkObject). In a versioned bucket, the read-only
// directory "<bucket>/.versions/<path>/" lists the versions of the file at <path>.
//
// Writes are staged per open handle in an anonymous temp file and committed as one new
// object on flush/release/fsync (close-to-open); the last close wins. Changes made through
// the engine by anyone else (S3, console) invalidate the kernel's caches at once.
//
// Thread-safety: Start/Stop must not race each other (one owner at a time); the mount itself
// serves requests on its own threads and calls the engine, which must outlive it.
#pragma once

#include "maxiofs/common/result.h"
#include "maxiofs/common/status.h"
#include "maxiofs/engine/engine.h"

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace maxiofs::fuse {

// When reads update a file's access time (fuse.atime).
enum class AtimeMode : uint8_t {
  kNoatime = 0,  // never (the default): a read costs no metadata write
  kRelatime,     // as Linux's relatime: when atime is not after mtime/ctime, or a day old
};

// The read-only versions view of versioned buckets (fuse.versions).
enum class VersionsView : uint8_t {
  kOff = 0,  // no view; a key named ".versions/..." is an ordinary file
  kHidden,   // "<bucket>/.versions" answers to its name but is left out of listings (default)
  kVisible,  // also listed in the bucket directory
};

struct FuseOptions {
  // Directory to mount on. It must exist, be a directory, be empty and not be a mount
  // already; a stale FUSE mount left by a crash ("Transport endpoint is not connected") is
  // cleared first.
  std::string mountpoint;
  // The engine's data directory: staging files go to <data_dir>/tmp (anonymous, O_TMPFILE)
  // and statfs reports the space of its file system. Empty: /tmp and zeroed statfs.
  std::string data_dir;
  // Owner and permission defaults for entries without "uid"/"gid"/"mode" metadata.
  uid_t uid = 0;
  gid_t gid = 0;
  // Applied to the default modes (0777 for directories, 0666 for files). Default 022.
  mode_t umask = 022;
  // Upper bound of libfuse worker threads (fuse_loop_cfg max_threads). Default 8.
  unsigned max_threads = 8;
  // How long (seconds) the kernel may cache attributes and names. The mount invalidates the
  // kernel's caches on every engine change, so these mainly bound staleness if an event is
  // lost. Default 1 s each; negative lookups are cached as long as entries.
  double attr_timeout_s = 1.0;
  double entry_timeout_s = 1.0;
  // Let users other than the mounting one use the mount (needs root or user_allow_other). With
  // default_permissions the kernel then checks every access against mode/uid/gid. Default
  // false (fuse.allow_other).
  bool allow_other = false;
  // See AtimeMode. Default kNoatime (fuse.atime).
  AtimeMode atime = AtimeMode::kNoatime;
  // See VersionsView. Default kHidden (fuse.versions).
  VersionsView versions = VersionsView::kHidden;
  // Let the kernel check permissions against mode/uid/gid (mount option
  // default_permissions). Default true: without it any user could open any file.
  bool default_permissions = true;
  // The IAM user the mount acts as (fuse.user): every operation is authorized by the engine as
  // that user would be through S3 (see frontends/fuse/mount_access.h); refusals are EACCES.
  // Empty (default): the root identity, allowed everything. Start fails with InvalidArgument
  // when the user does not exist or is disabled.
  std::string iam_user;
  // Files of 8 MiB or more written through the mount get the parts ETag `aws s3 cp` gives
  // them (engine::kPartsEtagMinSize), so one file is hashed on several cores while it is
  // written. false: every file gets its plain MD5, and sequential writes of one file go no
  // faster than one core's MD5 (about 700 MB/s). Default true (fuse.parts_etag).
  bool parts_etag = true;
};

// A count of FUSE operations for metrics: `error` 0 counts every call of `op`; otherwise the
// calls of `op` that failed with that errno.
struct FuseOpCount {
  std::string op;  // "lookup", "read", "write", ...
  int error = 0;
  uint64_t count = 0;
};

class FuseMount {
 public:
  // Checks and (when stale) clears the mountpoint, mounts, starts the request loop on its own
  // threads and the change notifier, and returns once the file system is mounted.
  // Errors: NotFound (missing mountpoint), InvalidArgument (not a directory, empty path),
  // Busy (non-empty or already a mount), IOError (libfuse could not create or mount the
  // session). REQUIRES: `engine` outlives the returned mount. The caller owns the result.
  static Result<std::unique_ptr<FuseMount>> Start(const FuseOptions& options,
                                                  engine::Engine& engine);

  // Unmounts (lazily if busy), stops every thread and joins them. Files still open in the
  // mount lose their unflushed writes when the connection has to be aborted. Idempotent;
  // the destructor calls it.
  virtual void Stop() = 0;

  virtual ~FuseMount() = default;
  FuseMount(const FuseMount&) = delete;
  FuseMount& operator=(const FuseMount&) = delete;

  // How many times a listing met a key that cannot be a path and left it out of the view
  // (counts occurrences, so a key listed twice counts twice). For metrics.
  virtual uint64_t hidden_keys() const = 0;
  // How many change events were turned into kernel invalidations so far (for metrics/tests).
  virtual uint64_t invalidations() const = 0;
  // Operation counts since the mount started (see FuseOpCount), sorted by op then errno.
  virtual std::vector<FuseOpCount> op_counts() const = 0;
  virtual const std::string& mountpoint() const = 0;

 protected:
  FuseMount() = default;
};

}  // namespace maxiofs::fuse
