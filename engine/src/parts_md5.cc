#include "parts_md5.h"

#include <algorithm>

namespace maxiofs::engine {

uint64_t PartsEtagPartSize(uint64_t size) {
  uint64_t part = kPartsEtagPartSize;
  while (PartCount(size, part) > kPartsEtagMaxParts) part *= 2;
  return part;
}

std::string EtagText(std::string_view md5, uint64_t parts) {
  std::string out = HexEncode(md5);
  if (parts > 0) out += "-" + std::to_string(parts);
  return out;
}

uint64_t PartCount(uint64_t size, uint64_t part_size) {
  return size == 0 ? 1 : (size - 1) / part_size + 1;
}

uint64_t EtagPartSizeFor(bool parts_etag, const std::optional<uint64_t>& size,
                         bool has_expected_md5) {
  if (!parts_etag || !size || *size < kPartsEtagMinSize || has_expected_md5) return 0;
  return PartsEtagPartSize(*size);
}

PartsMd5::PartsMd5(uint64_t part_size, std::function<std::unique_ptr<Digest>()> new_md5)
    : part_size_(part_size), new_md5_(std::move(new_md5)), part_(new_md5_()) {}

void PartsMd5::Update(std::span<const char> data) {
  while (!data.empty()) {
    if (in_part_ == part_size_) {
      md5s_ += part_->Final();
      part_ = new_md5_();
      in_part_ = 0;
    }
    const size_t n = static_cast<size_t>(std::min<uint64_t>(data.size(), part_size_ - in_part_));
    part_->Update(data.first(n));
    in_part_ += n;
    size_ += n;
    data = data.subspan(n);
  }
}

std::string PartsMd5::Final() {
  md5s_ += part_->Final();
  std::unique_ptr<Digest> all = NewMd5();
  all->Update(md5s_);
  return all->Final();
}

std::optional<std::string> DigestFromKept(std::vector<std::unique_ptr<ContentMd5>>& md5s,
                                          uint64_t size, uint64_t part_size) {
  const uint64_t step = part_size == 0 ? std::max<uint64_t>(size, 1) : part_size;
  if (md5s.size() != PartCount(size, step)) return std::nullopt;
  for (size_t i = 0; i < md5s.size(); ++i) {
    const uint64_t begin = i * step;
    if (!md5s[i] || md5s[i]->size() != std::min(step, size - begin)) return std::nullopt;
  }
  if (part_size == 0) return static_cast<ContentMd5Impl&>(*md5s[0]).Final();
  std::string raw;
  raw.reserve(16 * md5s.size());
  for (std::unique_ptr<ContentMd5>& m : md5s) raw += static_cast<ContentMd5Impl&>(*m).Final();
  std::unique_ptr<Digest> all = NewMd5();
  all->Update(raw);
  return all->Final();
}

}  // namespace maxiofs::engine
