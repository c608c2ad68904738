#include <cstdio>
#include <exception>
#include <vector>

#include "cli/command.hpp"

namespace tl::cli {

static std::vector<Registrar>& registrars() {
  static std::vector<Registrar> all;
  return all;
}

bool add_command(Registrar registrar) {
  registrars().push_back(std::move(registrar));
  return true;
}

}  // namespace tl::cli

int main(int argc, char** argv) {
  CLI::App app{"tinyloop: the TinyML continual-learning loop over LwM2M"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "tinyloop 0.1.0");
  for (auto& reg : tl::cli::registrars()) reg(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tinyloop: %s\n", e.what());
    return 1;
  }
  return 0;
}
