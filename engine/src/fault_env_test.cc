// FaultEnv (fault_env.h): it fails the chosen call with the chosen error, once or from then on,
// and a simulated power loss drops exactly what was not synced.
#include "fault_env.h"

#include "no_wait_env.h"
#include "test_util.h"

#include <gtest/gtest.h>
#include <leveldb/db.h>

#include <memory>
#include <string>

namespace maxiofs::engine {
namespace {

using Plan = backends::FaultPlan;

// The fault Env itself: a power loss drops exactly what was not synced.
TEST(FaultEnv, PowerLossDropsOnlyUnsyncedWrites) {
  TempDir dir;
  NoWaitEnv nowait;
  Plan plan;
  FaultEnv env(&nowait, &plan);
  leveldb::Options o;
  o.create_if_missing = true;
  o.env = &env;
  const std::string meta = (dir.path() / "meta").string();
  {
    leveldb::DB* raw = nullptr;
    ASSERT_TRUE(leveldb::DB::Open(o, meta, &raw).ok());
    std::unique_ptr<leveldb::DB> db(raw);
    leveldb::WriteOptions synced;
    synced.sync = true;
    ASSERT_TRUE(db->Put(synced, "durable", "1").ok());
    ASSERT_TRUE(db->Put(leveldb::WriteOptions(), "volatile", "2").ok());
  }
  EXPECT_GT(env.DropUnsyncedData(), 0u);
  leveldb::DB* raw = nullptr;
  ASSERT_TRUE(leveldb::DB::Open(o, meta, &raw).ok());
  std::unique_ptr<leveldb::DB> db(raw);
  std::string v;
  EXPECT_TRUE(db->Get(leveldb::ReadOptions(), "durable", &v).ok());
  EXPECT_TRUE(db->Get(leveldb::ReadOptions(), "volatile", &v).IsNotFound());
}

// The fault Env fails the chosen call with the chosen error, once or from then on.
TEST(FaultEnv, FailsTheNthCall) {
  TempDir dir;
  NoWaitEnv nowait;
  Plan plan;
  FaultEnv env(&nowait, &plan);
  const std::string f = (dir.path() / "f").string();
  leveldb::WritableFile* raw = nullptr;
  plan.Arm(2, Plan::Error::kNoSpace, false);
  ASSERT_TRUE(env.NewWritableFile(f, &raw).ok());  // call 1
  std::unique_ptr<leveldb::WritableFile> file(raw);
  leveldb::Status s = file->Append("abcd");  // call 2
  EXPECT_TRUE(s.IsIOError());
  EXPECT_NE(s.ToString().find("No space left on device"), std::string::npos) << s.ToString();
  EXPECT_TRUE(file->Append("efgh").ok());  // call 3: once only
  plan.Arm(1, Plan::Error::kIO, true);
  EXPECT_FALSE(file->Sync().ok());
  EXPECT_FALSE(file->Append("x").ok());
  EXPECT_EQ(plan.injected(), 2u);
  plan.Disarm();
  EXPECT_TRUE(file->Close().ok());
  uint64_t size = 0;
  ASSERT_TRUE(nowait.GetFileSize(f, &size).ok());
  EXPECT_EQ(size, 2u + 4u + 0u);  // half of "abcd" (a short write), "efgh", half of "x"
}

}  // namespace
}  // namespace maxiofs::engine
