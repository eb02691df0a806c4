// The one place that includes libfuse: pins the API version (rule 40: libfuse 3.14 as shipped
// by Debian 12, API level 3.12 for fuse_loop_cfg_*) before <fuse_lowlevel.h>.
#pragma once

#ifndef FUSE_USE_VERSION
#define FUSE_USE_VERSION FUSE_MAKE_VERSION(3, 12)
#endif

#include <fuse_lowlevel.h>
