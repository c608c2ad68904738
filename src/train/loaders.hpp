// Readers for the training inputs. Every reader throws InputError naming the file and the line
// or byte offset of the problem; recoverable oddities (truncated payloads) become warnings.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "train/input_error.hpp"
#include "train/recording.hpp"

namespace tl::train {

// NumPy .npy v1/v2/v3, dtypes <i2 <i4 <f4 <f8, C order, shape (rows,) or (rows, axes).
// `name` is only used in messages and as the recording's file.
Recording parse_npy(const std::string& name, std::string_view bytes, Warnings& warnings);

// Edge Impulse data acquisition JSON (payload.interval_ms, payload.sensors, payload.values).
Recording parse_edge_impulse_json(const std::string& name, std::string_view text);

// A raw recording as CSV: one row of samples per line, one column per axis, separated by commas,
// semicolons, tabs or spaces. A first line of column names is skipped; when the first column is
// named timestamp, time or t (milliseconds), it is dropped and its steps give the sample rate
// (else rate_hz is 0, as for NumPy).
Recording parse_csv_recording(const std::string& name, std::string_view text);

// FogML feature CSV: one feature vector per line, numbers separated by spaces and/or commas,
// no header. Returns the rows; every row has the same length.
std::vector<std::vector<float>> parse_feature_csv(const std::string& name, std::string_view text);

// Whole file as bytes; InputError when it cannot be read.
std::string read_file_bytes(const std::string& path);

// The label in a file name: the part after the first '_' of the stem
// ("2025-06-15T192744_snake.npy" -> "snake", "3_up_down.csv" -> "up_down").
std::string label_from_file_name(const std::string& path);

// A labels file: lines "file,label" (file matched by full path or by base name); blank lines and
// lines starting with '#' are skipped.
struct LabelMap {
  std::vector<std::pair<std::string, std::string>> entries;
  // The label for `path`, or "" when the map has none.
  std::string find(const std::string& path) const;
};
LabelMap parse_labels_file(const std::string& name, std::string_view text);

}  // namespace tl::train
