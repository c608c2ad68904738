// Subcommand registry: each cmd_*.cpp registers its subcommands at static-initialisation time,
// so adding a command touches only its own file.
#pragma once
#include <CLI/CLI.hpp>
#include <functional>

namespace tl::cli {

using Registrar = std::function<void(CLI::App& app)>;

// Returns a dummy value so it can initialise a namespace-scope constant.
bool add_command(Registrar registrar);

// Exit code for errors the user can fix (bad input file, bad arguments).
inline constexpr int kExitUserError = 2;

}  // namespace tl::cli
