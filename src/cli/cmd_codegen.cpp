// `tinyloop codegen MODEL.json --out DIR`: freestanding C (header + source) for a trained model.
#include <cstdio>
#include <stdexcept>
#include <string>

#include "cli/command.hpp"
#include "train/codegen.hpp"
#include "train/input_error.hpp"
#include "train/loaders.hpp"
#include "train/model_json.hpp"
#include "train/output.hpp"

namespace {

using namespace tl::train;

[[noreturn]] void user_error(const std::string& message) {
  std::fprintf(stderr, "tinyloop codegen: %s\n", message.c_str());
  throw CLI::RuntimeError(tl::cli::kExitUserError);
}

bool is_identifier(const std::string& s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  }
  return true;
}

void run(const std::string& model_path, const std::string& out, const std::string& prefix) {
  if (!is_identifier(prefix)) user_error("--prefix '" + prefix + "' is not a C identifier");
  Model m = model_from_json(model_path, read_file_bytes(model_path));
  GeneratedC g = generate_c(m, prefix);
  write_outputs(out, {{g.header_name, g.header}, {g.source_name, g.source}});
  std::printf("wrote %s/%s and %s/%s\n", out.c_str(), g.header_name.c_str(), out.c_str(),
              g.source_name.c_str());
}

void add_codegen(CLI::App& app) {
  auto* cmd = app.add_subcommand("codegen", "Generate freestanding C from a model.json");
  cmd->footer("Writes PREFIX.h and PREFIX.c: int PREFIX_predict(const float* features) and "
              "float PREFIX_anomaly_score(const float* features) over raw feature vectors; "
              "const tables, no heap, float only. Compile with -ffp-contract=off.");
  auto model = std::make_shared<std::string>();
  auto out = std::make_shared<std::string>();
  auto prefix = std::make_shared<std::string>("tl_model");
  cmd->add_option("MODEL", *model, "model.json written by 'tinyloop train'")->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--out", *out, "Output folder")->required();
  cmd->add_option("--prefix", *prefix, "C identifier prefix and file base name")
      ->capture_default_str();
  cmd->callback([model, out, prefix] {
    try {
      run(*model, *out, *prefix);
    } catch (const InputError& e) {
      user_error(e.what());
    } catch (const std::runtime_error& e) {
      if (dynamic_cast<const CLI::Error*>(&e)) throw;
      user_error(e.what());
    } catch (const std::logic_error& e) {
      user_error(e.what());
    }
  });
}

const bool registered = tl::cli::add_command(add_codegen);

}  // namespace
