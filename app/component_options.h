// Per-component option structs built from the Config (STYLE rule 34): components never see
// Config, only the struct they own.
//
// Thread-safety: pure functions on values.
#pragma once

#include "config.h"

#include "maxiofs/console/console_server.h"
#include "maxiofs/engine/options.h"
#include "maxiofs/fuse/fuse_mount.h"
#include "maxiofs/s3/s3_server.h"

#include <string>

namespace maxiofs::app {

// The engine's blob directory for storage.root: empty when it is the data dir's own
// <data_dir>/objects (however written, or "./data/objects", the original design's default,
// whatever the data dir), else its absolute path.
std::string BlobDirectory(const Config& config, const std::string& data_dir);

// Engine options; `data_dir` is passed separately because the server resolves it to an
// absolute path first (so the log and the engine agree on one path).
engine::EngineOptions ToEngineOptions(const Config& config, const std::string& data_dir);

// S3 front-end options: listen address, credentials, region, virtual-host domains. Other
// S3Options fields keep their defaults.
s3::S3Options ToS3Options(const Config& config);

// FUSE options: the mount point, the engine's data dir (for staging and statfs), and this
// process's uid/gid as the owner of files without s3fs metadata.
fuse::FuseOptions ToFuseOptions(const Config& config, const std::string& data_dir);

// Console options: listen address, root credentials, session settings, the data dir (disk
// space, session secret), the S3 port and region for share links, and the effective
// configuration with secrets masked for the settings page.
console::ConsoleOptions ToConsoleOptions(const Config& config, const std::string& data_dir,
                                         uint16_t s3_port);

}  // namespace maxiofs::app
