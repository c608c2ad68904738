// Internal: byte offsets of the blob format, version 1 (documented in src/ml/README.md).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tl::ml::detail {

inline constexpr std::uint8_t kMagic[4] = {'T', 'L', 'M', '1'};

// Header fields.
inline constexpr std::size_t kOffVersion = 4;        // u16
inline constexpr std::size_t kOffHeaderSize = 6;     // u16
inline constexpr std::size_t kOffTotalSize = 8;      // u32
inline constexpr std::size_t kOffModelVersion = 12;  // u32
inline constexpr std::size_t kOffName = 16;          // char[32]
inline constexpr std::size_t kOffPipeline = 48;      // 80 bytes, see below
inline constexpr std::size_t kOffKinds = 128;        // u8
inline constexpr std::size_t kOffClassCount = 129;   // u8
inline constexpr std::size_t kOffFeatureCount = 130; // u8
inline constexpr std::size_t kOffSectionCount = 131; // u8
inline constexpr std::size_t kHeaderSize = 132;

// Pipeline record, relative to kOffPipeline.
inline constexpr std::size_t kPipeSampleRate = 0;   // f32
inline constexpr std::size_t kPipeInputScale = 4;   // f32
inline constexpr std::size_t kPipeWindow = 8;       // u16
inline constexpr std::size_t kPipeHop = 10;         // u16
inline constexpr std::size_t kPipeAxes = 12;        // u8
inline constexpr std::size_t kPipeBlockCount = 13;  // u8
inline constexpr std::size_t kPipeScaler = 14;      // u8, then one zero byte
inline constexpr std::size_t kPipeBlocks = 16;      // 8 x {u8 kind, 3 zero bytes, f32 param}
inline constexpr std::size_t kPipeBlockSize = 8;

// Section table entries: u16 type, u16 zero, u32 offset, u32 size.
inline constexpr std::size_t kSectionEntrySize = 12;
inline constexpr std::size_t kCrcSize = 4;

enum SectionType : std::uint16_t {
  kSecLabels = 1,        // class_count x 24 bytes, NUL-padded UTF-8
  kSecScaler = 2,        // f32 offset[F], f32 scale[F]
  kSecForest = 3,        // u16 trees, u16 nodes, u8 classes, u8 features, u16 0, u16 roots[T],
                         // pad to 4, TreeNode[nodes]
  kSecPackedForest = 4,  // pack_forest bytes
  kSecKMeans = 5,        // u16 k, u16 features, f32 threshold, f32 centroids[k*F], f32 radius[k]
  kSecLof = 6,           // u8 k, u8 0, u16 capacity, f32 threshold
  kSecLast = kSecLof,
};

inline constexpr std::size_t kLabelSize = 24;
inline constexpr std::size_t kForestHeader = 8;
inline constexpr std::size_t kKMeansHeader = 8;
inline constexpr std::size_t kLofSize = 8;

}  // namespace tl::ml::detail
