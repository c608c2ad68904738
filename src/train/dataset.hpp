// From input files to a feature table: loads each file by its extension, labels it, resamples,
// cuts windows and computes features with the runtime's own compute_features, so the device
// computes bit-identical features.
#pragma once
#include <string>
#include <vector>

#include "ml/pipeline.hpp"
#include "train/input_error.hpp"
#include "train/loaders.hpp"
#include "train/recording.hpp"

namespace tl::train {

struct DataOptions {
  ml::Pipeline pipeline{};   // sample_rate_hz is the rate features are computed at
  float input_rate_hz = 0;   // rate of the recordings: required for .npy (they do not say it)
  LabelMap labels;           // overrides labels taken from file names
};

// .npy and .json are recordings; .csv files are FogML feature vectors (already featurised, each
// row its own group). Throws InputError on bad files, empty classes, classes with a single
// window and feature count mismatches.
FeatureTable load_dataset(const std::vector<std::string>& files, const DataOptions& options,
                          Warnings& warnings);

// The feature rows of one recording (raw units), given the pipeline. Recording rows are scaled
// by pipeline.input_scale exactly as the device's convert_samples does.
// A raw recording (.npy, .csv or Edge Impulse .json) with its sample rate set: NumPy files and CSV
// without a timestamp column do not carry one, so `input_rate_hz` is required for them (for a CSV
// with timestamps it wins over their estimate); for JSON it must match the file's when given.
Recording load_recording(const std::string& file, float input_rate_hz, Warnings& warnings);

std::vector<std::vector<float>> featurise(const Recording& r, const ml::Pipeline& p,
                                          float recording_rate_hz);

}  // namespace tl::train
