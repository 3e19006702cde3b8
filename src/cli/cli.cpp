#include "migtest/cli.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

#include "migtest/error.hpp"
#include "migtest/url.hpp"

namespace migtest::cli {

int main(int argc, char** argv) {
  CLI::App app{"migtest: migration-verified databases"};
  app.set_version_flag("--version", "migtest 0.1.0");
  app.require_subcommand(1);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }
  return 0;
}

}  // namespace migtest::cli
