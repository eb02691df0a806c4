// The vector MD5 kernels and the batcher against Crypto++'s MD5 (an independent implementation)
// and RFC 1321's vectors, for every kernel this CPU can run.
#define CRYPTOPP_ENABLE_NAMESPACE_WEAK 1
#include "md5/md5_lanes.h"

#include "md5/md5_batcher.h"

#include <cryptopp/md5.h>
#include <gtest/gtest.h>

#include <array>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace maxiofs::engine {
namespace {

std::vector<Md5Kernel> AvailableKernels() {
  std::vector<Md5Kernel> out;
  for (Md5Kernel k : {Md5Kernel::kScalar, Md5Kernel::kAvx2, Md5Kernel::kAvx512}) {
    if (Md5KernelAvailable(k)) out.push_back(k);
  }
  return out;
}

std::string RandomBytes(std::mt19937_64& rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

std::string ReferenceMd5(std::string_view d) {
  CryptoPP::Weak::MD5 h;
  h.Update(reinterpret_cast<const CryptoPP::byte*>(d.data()), d.size());
  std::string out(16, '\0');
  h.Final(reinterpret_cast<CryptoPP::byte*>(out.data()));
  return out;
}

constexpr uint32_t kInit[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};

TEST(Md5Lanes, TheScalarKernelIsAlwaysThere) {
  EXPECT_TRUE(Md5KernelAvailable(Md5Kernel::kScalar));
  EXPECT_TRUE(Md5KernelAvailable(BestMd5Kernel()));
  std::printf("best MD5 kernel here: %s\n", Md5KernelName(BestMd5Kernel()));
}

// Every lane count, in rounds of different lengths, gives each stream the state one stream
// hashed alone would have.
TEST(Md5Lanes, EveryLaneMatchesTheScalarCode) {
  std::mt19937_64 rng(7);
  const size_t kBlocks = 37;
  std::vector<std::string> data;
  for (size_t i = 0; i < kMd5Lanes; ++i) data.push_back(RandomBytes(rng, kBlocks * 64));
  std::array<std::array<uint32_t, 4>, kMd5Lanes> want;
  for (size_t i = 0; i < kMd5Lanes; ++i) {
    std::copy(kInit, kInit + 4, want[i].begin());
    Md5CompressScalar(want[i].data(), reinterpret_cast<const unsigned char*>(data[i].data()),
                      kBlocks);
  }
  for (Md5Kernel k : AvailableKernels()) {
    for (size_t n = 1; n <= kMd5Lanes; ++n) {
      std::array<std::array<uint32_t, 4>, kMd5Lanes> got;
      std::vector<Md5Lane> lanes;
      for (size_t i = 0; i < n; ++i) {
        std::copy(kInit, kInit + 4, got[i].begin());
        lanes.push_back({got[i].data(), reinterpret_cast<const unsigned char*>(data[i].data())});
      }
      // 37 = 1 + 4 + 32 blocks in three rounds.
      for (size_t round : {1, 4, 32}) Md5CompressLanes(k, lanes, round);
      for (size_t i = 0; i < n; ++i) {
        EXPECT_EQ(got[i], want[i]) << Md5KernelName(k) << " lanes=" << n << " lane " << i;
        EXPECT_EQ(lanes[i].data,
                  reinterpret_cast<const unsigned char*>(data[i].data()) + kBlocks * 64);
      }
    }
  }
}

TEST(Md5Batcher, PublishedVectorsWholeAndInPieces) {
  for (Md5Kernel k : AvailableKernels()) {
    Md5Batcher batcher(k);
    auto hex = [&](std::string_view d) {
      auto m = NewBatchedMd5(batcher);
      m->Update(d);
      return HexEncode(m->Final());
    };
    EXPECT_EQ(hex(""), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
    const std::string a(1000000, 'a');
    EXPECT_EQ(hex(a), "7707d6ae4e027c70eea2a935c2296f21") << Md5KernelName(k);
    // Uneven pieces: partial blocks before and after the batched whole blocks.
    auto pieces = NewBatchedMd5(batcher);
    for (size_t off = 0, n = 1; off < a.size(); off += n, n = n * 7 % 65537 + 1) {
      pieces->Update(std::string_view(a).substr(off, std::min(n, a.size() - off)));
    }
    EXPECT_EQ(HexEncode(pieces->Final()), "7707d6ae4e027c70eea2a935c2296f21") << Md5KernelName(k);
  }
}

// Many threads at once through one batcher: streams share lanes, join and leave them at
// different points, and the combining caller changes; every digest is still its own.
TEST(Md5Batcher, ConcurrentStreamsEachGetTheirOwnDigest) {
  for (Md5Kernel k : AvailableKernels()) {
    Md5Batcher batcher(k);
    constexpr int kThreads = 12;
    std::vector<std::string> got(kThreads), want(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        std::mt19937_64 rng(100 + t);
        const std::string data = RandomBytes(rng, 3 * 1024 * 1024 + 1000 * t + 13);
        want[t] = ReferenceMd5(data);
        auto m = NewBatchedMd5(batcher);
        for (size_t off = 0; off < data.size();) {
          const size_t n = std::min<size_t>(data.size() - off, 1 + rng() % (300 * 1024));
          m->Update(std::string_view(data).substr(off, n));
          off += n;
        }
        got[t] = m->Final();
      });
    }
    for (auto& th : threads) th.join();
    for (int t = 0; t < kThreads; ++t) {
      EXPECT_EQ(HexEncode(got[t]), HexEncode(want[t])) << Md5KernelName(k) << " stream " << t;
    }
  }
}

}  // namespace
}  // namespace maxiofs::engine
