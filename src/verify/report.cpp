// The verify report as text (what `migtest verify` prints) and as JUnit XML. A check that
// did not run is a skip in both, with its summary as the reason ("no downgrade: ...").
#include <fmt/format.h>

#include <map>

#include "migtest/verify.hpp"
#include "verify/xml.hpp"

namespace migtest {

namespace {

// An id in full, padded to `width` for the columns: ids are never cut (Diesel's 14-digit
// versions share their first 9 digits, and a cut id names two revisions).
std::string id_column(const std::string& id, std::size_t width) {
  return id.size() >= width ? id : id + std::string(width - id.size(), ' ');
}

std::string fit(const std::string& text, std::size_t width) {
  if (text.size() <= width) return text + std::string(width - text.size(), ' ');
  return text.substr(0, width - 3) + "...";
}

std::string ms(double v) {
  if (v < 0) return "-";
  return v < 10 ? fmt::format("{:.1f} ms", v) : fmt::format("{:.0f} ms", v);
}

const char* label(Check c) {
  switch (c) {
    case Check::single_head:
      return "single head";
    case Check::upgrade:
      return "upgrade";
    case Check::round_trip:
      return "round trip";
    case Check::data:
      return "data";
    case Check::lint:
      return "lint";
    case Check::full_cycle:
      return "full cycle";
    case Check::model_match:
      return "model match";
  }
  return "?";
}

// "file:line", or the file alone when the line is unknown; "" when nothing is known.
std::string place(const source_location& where) {
  if (where.file.empty()) return "";
  return where.line > 0 ? fmt::format("{}:{}", where.file, where.line) : where.file;
}

void details(std::string& out, const CheckResult& c, const char* prefix = "") {
  for (const auto& d : c.details) out += fmt::format("      {}{}\n", prefix, d);
}

// A failure's details, then the file it points at unless a detail already names it (the
// runner's errors do): a trace a downgrade left names its down file here.
void failure_details(std::string& out, const CheckResult& c) {
  details(out, c);
  const std::string at = place(c.where);
  if (at.empty()) return;
  for (const auto& d : c.details) {
    if (d.find(at) != std::string::npos) return;
  }
  out += fmt::format("      at {}\n", at);
}

using detail::xml;

std::string seconds(double ms_value) { return fmt::format("{:.6f}", ms_value / 1000.0); }

struct Case {
  std::string name;
  const CheckResult* result;
  source_location file;  // what the testcase's file and line attributes point at
};

// A revision's testcase points at what its check blames, else at the revision's file.
source_location case_file(const Revision& revision, const CheckResult& c) {
  if (!c.where.file.empty()) return c.where;
  return {revision.file, 0, revision.id};
}

std::string file_attributes(const source_location& where) {
  if (where.file.empty()) return "";
  std::string out = fmt::format(" file=\"{}\"", xml(where.file));
  if (where.line > 0) out += fmt::format(" line=\"{}\"", where.line);
  return out;
}

}  // namespace

std::string render_revision(const RevisionResult& r) {
  std::string out =
      fmt::format("  {}  {} ", id_column(r.revision.id, 12), fit(r.revision.message, 28));
  Status st = r.status();
  std::string times;
  if (r.up_ms >= 0) times += "up " + ms(r.up_ms);
  if (r.down_ms >= 0) times += "  down " + ms(r.down_ms);
  if (st == Status::failed) {
    const CheckResult* first = nullptr;
    for (const auto& c : r.checks) {
      if (c.status == Status::failed) {
        first = &c;
        break;
      }
    }
    out += fmt::format("FAIL {}{}:\n",
                       first->check == Check::upgrade || first->check == Check::round_trip
                           ? ""
                           : std::string(label(first->check)) + ": ",
                       first->summary);
    failure_details(out, *first);
    for (const auto& c : r.checks) {
      if (&c == first || c.status != Status::failed) continue;
      out += fmt::format("    {}: {}:\n", label(c.check), c.summary);
      failure_details(out, c);
    }
    for (const auto& c : r.checks) {
      if (c.status == Status::warning) details(out, c, "warning: ");
    }
    return out;
  }
  if (st == Status::skipped) {
    std::string why = r.checks.empty() ? "" : r.checks.front().summary;
    return out + fmt::format("skip {}\n", why);
  }
  out += fmt::format("ok   {}", times);
  if (const CheckResult* rt = r.find(Check::round_trip)) {
    // A round trip that cannot run says why on the line itself: no way down is a fact
    // about the history a reader of the report should see.
    if (rt->skip_reason == SkipReason::no_downgrade) out += "  (no downgrade)";
    if (rt->skip_reason == SkipReason::irreversible) out += "  (irreversible)";
  }
  std::size_t warnings = 0;
  for (const auto& c : r.checks) warnings += c.status == Status::warning ? c.warnings.size() : 0;
  if (warnings) out += fmt::format("  ({} warning{})", warnings, warnings == 1 ? "" : "s");
  out += "\n";
  for (const auto& c : r.checks) {
    if (c.status == Status::warning) details(out, c, "warning: ");
  }
  return out;
}

std::string render_history_check(const CheckResult& c) {
  std::string out = fmt::format("  {}  ", fit(label(c.check), 42));
  switch (c.status) {
    case Status::ok:
      out += fmt::format("ok   {}{}\n", c.summary,
                         c.check == Check::full_cycle ? "  " + ms(c.elapsed_ms) : std::string());
      break;
    case Status::skipped:
      out += fmt::format("skip {}\n", c.summary);
      break;
    case Status::warning:
      out += fmt::format("warn {}\n", c.summary);
      break;
    case Status::failed:
      out += fmt::format("FAIL {}:\n", c.summary);
      failure_details(out, c);
      break;
  }
  return out;
}

std::string render_summary(const VerifyReport& report) {
  std::size_t n = report.revisions.size(), failed = report.failed_revisions(), skipped = 0;
  std::size_t warnings = 0, no_downgrade = 0;
  for (const auto& r : report.revisions) {
    skipped += r.status() == Status::skipped;
    for (const auto& c : r.checks) warnings += c.status == Status::warning ? c.warnings.size() : 0;
    const CheckResult* rt = r.find(Check::round_trip);
    no_downgrade += rt && rt->skip_reason == SkipReason::no_downgrade;
  }
  std::string out = fmt::format("{} revision{}: {} ok, {} failed", n, n == 1 ? "" : "s",
                                n - failed - skipped, failed);
  if (skipped) out += fmt::format(", {} not run", skipped);
  if (no_downgrade) out += fmt::format(", {} with no downgrade", no_downgrade);
  if (warnings) out += fmt::format(", {} warning{}", warnings, warnings == 1 ? "" : "s");
  std::string history;
  for (const auto& c : report.history) {
    if (c.status == Status::failed)
      history += (history.empty() ? "" : ", ") + std::string(label(c.check));
  }
  if (!history.empty()) out += "; failed: " + history;
  out +=
      fmt::format(" ({:.2f} s: revisions {:.2f} s, schema reads {:.2f} s)",
                  report.elapsed_ms / 1000.0, report.steps_ms / 1000.0, report.reads_ms / 1000.0);
  return out;
}

std::string render_text(const VerifyReport& report) {
  std::string out = fmt::format("verifying {} revision{} on {}\n", report.revisions.size(),
                                report.revisions.size() == 1 ? "" : "s", to_string(report.dialect));
  for (const auto& r : report.revisions) out += render_revision(r);
  for (const auto& c : report.history) out += render_history_check(c);
  return out + render_summary(report) + "\n";
}

std::string render_junit(const VerifyReport& report) {
  // One testsuite per check, in Check order; history checks form their own suite.
  std::map<int, std::vector<Case>> suites;
  for (const auto& r : report.revisions) {
    std::string name =
        r.revision.message.empty() ? r.revision.id : r.revision.id + " " + r.revision.message;
    for (const auto& c : r.checks)
      suites[static_cast<int>(c.check)].push_back({name, &c, case_file(r.revision, c)});
  }
  std::vector<Case> history;
  for (const auto& c : report.history)
    history.push_back({std::string(to_string(c.check)), &c, c.where});

  auto count = [](const std::vector<Case>& cases, Status s) {
    std::size_t n = 0;
    for (const auto& c : cases) n += c.result->status == s;
    return n;
  };
  auto suite = [&](const std::string& name, const std::vector<Case>& cases) {
    double total = 0;
    for (const auto& c : cases) total += c.result->elapsed_ms;
    std::string out = fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\" "
        "time=\"{}\">\n",
        xml(name), cases.size(), count(cases, Status::failed), count(cases, Status::skipped),
        seconds(total));
    for (const auto& c : cases) {
      const CheckResult& r = *c.result;
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"{} time=\"{}\"", xml(name),
                         xml(c.name), file_attributes(c.file), seconds(r.elapsed_ms));
      std::string body;
      for (const auto& d : r.details) body += d + "\n";
      if (r.status == Status::failed) {
        out += fmt::format(">\n      <failure message=\"{}\">{}</failure>\n    </testcase>\n",
                           xml(r.summary), xml(body));
      } else if (r.status == Status::skipped) {
        out += fmt::format(">\n      <skipped message=\"{}\"/>\n    </testcase>\n", xml(r.summary));
      } else if (r.status == Status::warning) {
        out += fmt::format(">\n      <system-out>{}</system-out>\n    </testcase>\n", xml(body));
      } else {
        out += "/>\n";
      }
    }
    return out + "  </testsuite>\n";
  };

  std::size_t tests = history.size(), failures = count(history, Status::failed),
              skipped = count(history, Status::skipped);
  for (const auto& [k, cases] : suites) {
    tests += cases.size();
    failures += count(cases, Status::failed);
    skipped += count(cases, Status::skipped);
  }
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format(
      "<testsuites name=\"migtest verify ({})\" tests=\"{}\" failures=\"{}\" errors=\"0\" "
      "skipped=\"{}\" time=\"{}\">\n",
      xml(to_string(report.dialect)), tests, failures, skipped, seconds(report.elapsed_ms));
  for (const auto& [k, cases] : suites) {
    out += suite("migtest.verify." + std::string(to_string(static_cast<Check>(k))), cases);
  }
  if (!history.empty()) out += suite("migtest.verify.history", history);
  return out + "</testsuites>\n";
}

}  // namespace migtest
