#include "md5/md5_batcher.h"

#include <algorithm>
#include <array>
#include <string>
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>

namespace maxiofs::engine {
namespace {

// Updates smaller than this are hashed by the caller at once: batching them would cost more in
// locking than lanes save.
constexpr size_t kMinBatchBytes = 16 * 1024;
// Lanes run at most this many blocks between looks at the queue, so a stream arriving while
// others are hashed joins them within ~20 us.
constexpr size_t kRoundBlocks = 256;

}  // namespace

struct Md5Batcher::Job {
  uint32_t* state;
  const unsigned char* data;
  size_t blocks;
  bool done = false;
  std::condition_variable cv;  // signalled when done, or when this job should take over
};

Md5Batcher::Md5Batcher(Md5Kernel kernel) : kernel_(kernel) {}

void Md5Batcher::Compress(uint32_t state[4], const unsigned char* data, size_t blocks) {
  if (blocks == 0) return;
  if (kernel_ == Md5Kernel::kScalar) {
    Md5CompressScalar(state, data, blocks);
    return;
  }
  Job mine{state, data, blocks, false, {}};
  std::unique_lock lock(mu_);
  queue_.push_back(&mine);
  while (!mine.done) {
    if (!busy_) {
      busy_ = true;
      Combine(lock, mine);
      busy_ = false;
      // Whoever is first in line now combines next.
      if (!queue_.empty()) queue_.front()->cv.notify_one();
    } else {
      mine.cv.wait(lock);
    }
  }
}

void Md5Batcher::Combine(std::unique_lock<std::mutex>& lock, Job& mine) {
  std::array<Job*, kMd5Lanes> jobs{};
  size_t n = 0;
  while (!mine.done) {
    while (n < kMd5Lanes && !queue_.empty()) {
      jobs[n++] = queue_.front();
      queue_.pop_front();
    }
    size_t round = kRoundBlocks;
    std::array<Md5Lane, kMd5Lanes> lanes;
    for (size_t i = 0; i < n; ++i) {
      round = std::min(round, jobs[i]->blocks);
      lanes[i] = {jobs[i]->state, jobs[i]->data};
    }
    lock.unlock();
    Md5CompressLanes(kernel_, std::span(lanes.data(), n), round);
    lock.lock();
    size_t kept = 0;
    for (size_t i = 0; i < n; ++i) {
      Job* j = jobs[i];
      j->data = lanes[i].data;
      j->blocks -= round;
      if (j->blocks == 0) {
        j->done = true;
        if (j != &mine) j->cv.notify_one();
      } else {
        jobs[kept++] = j;
      }
    }
    n = kept;
  }
  // Unfinished streams go back to the front of the line, in order.
  for (size_t i = n; i-- > 0;) queue_.push_front(jobs[i]);
}

namespace {

class BatchedMd5 final : public Digest {
 public:
  explicit BatchedMd5(Md5Batcher& batcher) : batcher_(batcher) { MD5_Init(&ctx_); }

  void Update(std::span<const char> d) override {
    auto p = reinterpret_cast<const unsigned char*>(d.data());
    size_t n = d.size();
    if (ctx_.num != 0) {  // finish the partial block first
      const size_t fill = std::min<size_t>(n, MD5_CBLOCK - ctx_.num);
      MD5_Update(&ctx_, p, fill);
      p += fill;
      n -= fill;
    }
    if (ctx_.num == 0 && n >= kMinBatchBytes) {
      const size_t blocks = n / MD5_CBLOCK;
      uint32_t s[4] = {ctx_.A, ctx_.B, ctx_.C, ctx_.D};
      batcher_.Compress(s, p, blocks);
      ctx_.A = s[0];
      ctx_.B = s[1];
      ctx_.C = s[2];
      ctx_.D = s[3];
      // The bit count, kept as OpenSSL keeps it (low word Nl, high word Nh).
      const uint64_t bits =
          ((uint64_t{ctx_.Nh} << 32) | ctx_.Nl) + uint64_t{blocks} * MD5_CBLOCK * 8;
      ctx_.Nl = static_cast<MD5_LONG>(bits);
      ctx_.Nh = static_cast<MD5_LONG>(bits >> 32);
      p += blocks * MD5_CBLOCK;
      n -= blocks * MD5_CBLOCK;
    }
    if (n != 0) MD5_Update(&ctx_, p, n);
  }

  std::string Final() override {
    std::string out(MD5_DIGEST_LENGTH, '\0');
    MD5_Final(reinterpret_cast<unsigned char*>(out.data()), &ctx_);
    return out;
  }

 private:
  Md5Batcher& batcher_;
  MD5_CTX ctx_;
};

}  // namespace

std::unique_ptr<Digest> NewBatchedMd5(Md5Batcher& batcher) {
  return std::make_unique<BatchedMd5>(batcher);
}

}  // namespace maxiofs::engine
