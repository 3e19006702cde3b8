// A TestConfig turned into what testdb works with: its history (loaded once per process) and
// its template.
#pragma once

#include <memory>
#include <string>

#include "migtest/source.hpp"
#include "migtest/testdb/config.hpp"
#include "testdb/template.hpp"

namespace migtest::detail {

/// The history of `config` (loaded once per process).
std::shared_ptr<const History> load_config_history(const TestConfig& config);

/// What testdb needs to know of `config` to give its template on `backend`.
TemplateSpec template_spec(const TestConfig& config, Backend backend);

/// The process's template for `config` on `backend` (Template::acquire).
std::shared_ptr<const Template> acquire_template(const TestConfig& config, Backend backend);

/// The key of `config`'s template on `backend` (Template::key_of).
std::string template_key(const TestConfig& config, Backend backend);

}  // namespace migtest::detail
