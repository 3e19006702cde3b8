// The lint report as text, JSON, JUnit XML and SARIF 2.1.0 (docs/reference/lint.md shows each).
#include <fmt/format.h>

#include <cctype>
#include <map>

#include "json.hpp"
#include "migtest/lint.hpp"
#include "migtest/version.hpp"
#include "verify/xml.hpp"

namespace migtest {

namespace {

std::string where(const LintWarning& w) {
  if (w.file.empty()) return w.revision;
  return w.line > 0 ? fmt::format("{}:{}", w.file, w.line) : w.file;
}

std::string plural(std::size_t n, const char* word) {
  return fmt::format("{} {}{}", n, word, n == 1 ? "" : "s");
}

// SARIF's level for a severity.
const char* level(Severity s) {
  switch (s) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::notice:
      return "note";
  }
  return "warning";
}

// A file path as a URI reference: relative paths stay relative (to where migtest ran),
// absolute ones become file:// URIs; bytes outside the unreserved set are percent-encoded.
std::string file_uri(const std::string& path) {
  std::string out = !path.empty() && path[0] == '/' ? "file://" : "";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

void sarif_rules(detail::JsonWriter& w) {
  w.key("rules").begin_array();
  for (const auto& r : lint_rule_table()) {
    w.begin_object().field("id", r.code).field("name", r.name);
    w.key("shortDescription").begin_object().field("text", r.summary).end_object();
    // No helpUri: SARIF wants an absolute URI and migtest has no published docs site; the
    // entry's place in the documentation goes in the help text instead.
    w.key("help").begin_object().field("text", "migtest " + lint_docs_entry(r)).end_object();
    w.key("defaultConfiguration").begin_object().field("level", level(r.severity)).end_object();
    w.key("properties").begin_object();
    w.field("dialect", r.dialect ? to_string(*r.dialect) : "both").end_object();
    w.end_object();
  }
  w.end_array();
}

std::size_t rule_index(const std::string& code) {
  const auto& rules = lint_rule_table();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    if (rules[i].code == code) return i;
  }
  return 0;
}

void sarif_result(detail::JsonWriter& w, const LintWarning& f) {
  w.begin_object().field("ruleId", f.code).field("ruleIndex", rule_index(f.code));
  w.field("level", level(f.severity));
  w.key("message").begin_object().field("text", f.message).end_object();
  w.key("locations").begin_array().begin_object().key("physicalLocation").begin_object();
  w.key("artifactLocation").begin_object().field("uri", file_uri(f.file)).end_object();
  w.key("region").begin_object().field("startLine", f.line > 0 ? f.line : 1).end_object();
  w.end_object().end_object().end_array();
  w.key("properties").begin_object().field("revision", f.revision).end_object();
  w.end_object();
}

}  // namespace

std::string render_lint_text(const LintReport& report) {
  std::string out;
  for (const auto& f : report.findings) {
    out += fmt::format("{}: {} {}: {}\n", where(f), f.code, to_string(f.severity), f.message);
  }
  for (const auto& n : report.notes) out += "note: " + n + "\n";
  out += fmt::format("{} linted on {}: {}, {}, {}\n", plural(report.revisions.size(), "revision"),
                     to_string(report.dialect), plural(report.count(Severity::error), "error"),
                     plural(report.count(Severity::warning), "warning"),
                     plural(report.count(Severity::notice), "notice"));
  return out;
}

std::string render_lint_json(const LintReport& report) {
  detail::JsonWriter w;
  w.begin_object().field("dialect", to_string(report.dialect)).field("ok", !report.errors());
  w.field("revisions", report.revisions);
  w.key("counts").begin_object();
  for (Severity s : {Severity::error, Severity::warning, Severity::notice}) {
    w.field(to_string(s), report.count(s));
  }
  w.end_object();
  w.key("findings").begin_array();
  for (const auto& f : report.findings) {
    w.begin_object().field("code", f.code).field("rule", f.rule);
    w.field("severity", to_string(f.severity)).field("revision", f.revision);
    w.field_or_null("file", f.file).field("line", f.line).field("message", f.message);
    w.field("docs", lint_docs_entry(*find_lint_rule(f.code))).end_object();
  }
  w.end_array();
  w.field("notes", report.notes).end_object();
  return w.str() + "\n";
}

std::string render_lint_junit(const LintReport& report) {
  std::map<std::string, std::vector<const LintWarning*>> by_revision;
  for (const auto& f : report.findings) by_revision[f.revision].push_back(&f);
  std::string suites;
  std::size_t tests = 0, failures = 0;
  for (const auto& id : report.revisions) {
    const auto& found = by_revision[id];
    std::size_t failed = 0;
    std::string cases;
    for (const LintWarning* f : found) {
      cases += fmt::format("    <testcase classname=\"migtest.lint.{}\" name=\"{} {}\"",
                           detail::xml(id), f->code, detail::xml(where(*f)));
      std::string text = fmt::format("{} {}: {}", f->code, to_string(f->severity), f->message);
      if (f->severity == Severity::error) {
        ++failed;
        cases += fmt::format(">\n      <failure message=\"{}\" type=\"{}\"/>\n    </testcase>\n",
                             detail::xml(text), f->code);
      } else {
        cases += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n",
                             detail::xml(text));
      }
    }
    if (found.empty()) {
      cases = fmt::format("    <testcase classname=\"migtest.lint.{}\" name=\"clean\"/>\n",
                          detail::xml(id));
    }
    std::size_t n = found.empty() ? 1 : found.size();
    tests += n;
    failures += failed;
    suites += fmt::format(
        "  <testsuite name=\"migtest.lint.{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
        "skipped=\"0\">\n{}  </testsuite>\n",
        detail::xml(id), n, failed, cases);
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"migtest lint ({})\" "
      "tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"0\">\n{}</testsuites>\n",
      detail::xml(to_string(report.dialect)), tests, failures, suites);
}

std::string render_lint_sarif(const LintReport& report) {
  detail::JsonWriter w;
  w.begin_object();
  w.field("$schema",
          "https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json");
  w.field("version", "2.1.0");
  w.key("runs").begin_array().begin_object();
  w.key("tool").begin_object().key("driver").begin_object();
  w.field("name", "migtest").field("version", std::string(version()));
  sarif_rules(w);
  w.end_object().end_object();
  w.key("invocations").begin_array().begin_object().field("executionSuccessful", true);
  w.key("toolExecutionNotifications").begin_array();
  for (const auto& n : report.notes) {
    w.begin_object().field("level", "note");
    w.key("message").begin_object().field("text", n).end_object().end_object();
  }
  w.end_array().end_object().end_array();
  w.key("results").begin_array();
  for (const auto& f : report.findings) sarif_result(w, f);
  w.end_array();
  w.key("properties").begin_object().field("dialect", to_string(report.dialect)).end_object();
  w.end_object().end_array().end_object();
  return w.str() + "\n";
}

}  // namespace migtest
