// The generated table (tl_model) against facts read from the DDF XML in shared/lwm2m-objects.
#include <gtest/gtest.h>

#include "model/object_def.hpp"

namespace tl::model {
namespace {

// A resource that must exist; fails the test (and returns a blank definition) when it does not.
const ResourceDef& resource(uint16_t object_id, uint16_t resource_id) {
  static constexpr ResourceDef kMissing{};
  const ObjectDef* object = find_object(object_id);
  if (object == nullptr) {
    ADD_FAILURE() << "object " << object_id << " missing";
    return kMissing;
  }
  const ResourceDef* def = find_resource(*object, resource_id);
  if (def == nullptr) {
    ADD_FAILURE() << "resource " << object_id << "/" << resource_id << " missing";
    return kMissing;
  }
  return *def;
}

TEST(ObjectTable, HoldsExactlyTheTopLevelFiles) {
  const uint16_t expected[] = {0, 1, 2, 3, 4, 5, 9, 3303, 3313, 33650, 33651, 33652, 33653, 33654};
  ASSERT_EQ(all_objects().size(), std::size(expected));
  for (size_t i = 0; i < std::size(expected); ++i) EXPECT_EQ(all_objects()[i].id, expected[i]);
}

TEST(ObjectTable, UnknownIdsAreAbsent) {
  EXPECT_EQ(find_object(65000), nullptr);
  EXPECT_EQ(find_object(6), nullptr);
  EXPECT_EQ(find_resource(*find_object(5), 4), nullptr);  // /5/4 exists in no version
  EXPECT_EQ(find_resource(*find_object(3), 65534), nullptr);
}

TEST(ObjectTable, EveryObjectsResourcesAreSortedAndUnique) {
  for (const ObjectDef& object : all_objects()) {
    EXPECT_FALSE(object.resources.empty()) << object.id;
    for (size_t i = 1; i < object.resources.size(); ++i) {
      EXPECT_LT(object.resources[i - 1].id, object.resources[i].id) << "object " << object.id;
    }
    for (const ResourceDef& r : object.resources) EXPECT_EQ(find_resource(object, r.id), &r);
  }
}

TEST(ObjectTable, ObjectsComeFromTheTopFolderNotOtherVersions) {
  // other-versions/ holds 0, 1, 3 and 5 at version 1.2; the top folder has 1.1.
  constexpr uint16_t kHaveNewerVersions[] = {0, 1, 3, 5};
  for (uint16_t id : kHaveNewerVersions) EXPECT_EQ(find_object(id)->version, "1.1") << id;
  EXPECT_EQ(find_object(0)->urn, "urn:oma:lwm2m:oma:0:1.1");
  EXPECT_EQ(find_object(0)->resources.size(), 18u);  // 1.2 has 31
  EXPECT_EQ(find_resource(*find_object(5), 14), nullptr);  // added in 1.2
}

TEST(ObjectTable, DeviceObject) {
  const ObjectDef& device = *find_object(3);
  EXPECT_EQ(device.name, "Device");
  EXPECT_EQ(device.lwm2m_version, "1.1");
  EXPECT_FALSE(device.multiple_instances);
  EXPECT_TRUE(device.mandatory);

  const ResourceDef& reboot = resource(3, 4);
  EXPECT_EQ(reboot.name, "Reboot");
  EXPECT_EQ(reboot.operations, Operations::E);
  EXPECT_EQ(reboot.type, ValueType::none);
  EXPECT_TRUE(reboot.mandatory);

  const ResourceDef& time = resource(3, 13);
  EXPECT_EQ(time.name, "Current Time");
  EXPECT_EQ(time.operations, Operations::RW);
  EXPECT_EQ(time.type, ValueType::time);
}

TEST(ObjectTable, FirmwareUpdateObject) {
  const ResourceDef& package = resource(5, 0);
  EXPECT_EQ(package.name, "Package");
  EXPECT_EQ(package.operations, Operations::W);
  EXPECT_EQ(package.type, ValueType::opaque);
  EXPECT_TRUE(package.mandatory);
  EXPECT_FALSE(package.multiple);

  EXPECT_EQ(resource(5, 1).range, "0..255");
  EXPECT_TRUE(resource(5, 8).multiple);
  EXPECT_EQ(resource(5, 13).type, ValueType::unsigned_integer);
  EXPECT_EQ(resource(5, 13).units, "s");
}

TEST(ObjectTable, SecurityResourcesHaveNoOperations) {
  EXPECT_EQ(resource(0, 0).operations, Operations::none);
  EXPECT_EQ(resource(0, 0).type, ValueType::string);
  EXPECT_EQ(resource(0, 17).type, ValueType::objlnk);
}

TEST(ObjectTable, TinyMlObjectsKeepTheirQuirks) {
  EXPECT_TRUE(find_object(33650)->multiple_instances);
  EXPECT_EQ(find_object(33650)->urn, "urn:oma:lwm2m:ext:33650");
  EXPECT_EQ(find_object(33650)->version, "1.0");
  EXPECT_FALSE(find_object(33651)->multiple_instances);

  const ResourceDef& threshold = resource(33651, 2002);
  EXPECT_EQ(threshold.name, "Anomaly Treshold");
  EXPECT_EQ(threshold.operations, Operations::RW);
  EXPECT_EQ(threshold.type, ValueType::floating);
  EXPECT_FALSE(threshold.mandatory);

  const ResourceDef& labels = resource(33652, 2000);
  EXPECT_EQ(labels.name, "Class Labels");
  EXPECT_TRUE(labels.multiple);
  EXPECT_EQ(labels.type, ValueType::string);

  EXPECT_EQ(resource(33653, 2002).operations, Operations::E);
  EXPECT_EQ(resource(33654, 2003).type, ValueType::opaque);
}

TEST(Operations, AreBitFlags) {
  EXPECT_TRUE(has(Operations::RW, Operations::R));
  EXPECT_TRUE(has(Operations::RW, Operations::W));
  EXPECT_FALSE(has(Operations::RW, Operations::E));
  EXPECT_FALSE(has(Operations::none, Operations::R));
  EXPECT_FALSE(has(Operations::R, Operations::RW));
}

TEST(FindById, WorksAtCompileTime) {
  static constexpr ResourceDef kTable[] = {
      {1, Operations::R, ValueType::integer, false, true, "a", "", ""},
      {7, Operations::W, ValueType::string, false, false, "b", "", ""},
  };
  static_assert(find_by_id<ResourceDef>(kTable, 7)->name == "b");
  static_assert(find_by_id<ResourceDef>(kTable, 2) == nullptr);
  static_assert(find_by_id<ResourceDef>({}, 0) == nullptr);
}

}  // namespace
}  // namespace tl::model
