// The bucket notification targets of the server's config (notify.targets and the
// notify.webhook_* keys), made and handed to the engine (docs/events.md).
#pragma once

#include "config.h"

#include "maxiofs/common/status.h"
#include "maxiofs/engine/engine.h"

#include <spdlog/spdlog.h>

namespace maxiofs::app {

// Makes every configured target, checks that each is reachable (an unreachable one is logged
// as an error naming it and the reason; the server starts anyway and its events wait in the
// queue) and calls Engine::StartNotifications. InvalidArgument when a target cannot be made
// (e.g. its CA file cannot be read).
Status StartNotifyTargets(const Config& config, engine::Engine& engine, spdlog::logger& log);

}  // namespace maxiofs::app
