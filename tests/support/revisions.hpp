// Test support: the text of the migtest revision files tests write.
#pragma once

#include <string>

namespace migtest::test {

/// The header line of a revision that runs outside a transaction.
inline const std::string no_transaction = "-- transaction: false\n";

/// The headers of a migtest revision file: `id`, its `parent` ("" for a first revision), the
/// message (none when ""), then `more` header lines, each ending in a newline.
inline std::string revision_headers(const std::string& id, const std::string& parent,
                                    const std::string& message, const std::string& more = "") {
  return "-- revision: " + id + "\n-- down_revision: " + (parent.empty() ? "none" : parent) + "\n" +
         (message.empty() ? "" : "-- message: " + message + "\n") + more;
}

/// The two sections of a revision: `up`, then `down`.
inline std::string up_down(const std::string& up, const std::string& down) {
  return "-- migrate:up\n" + up + "\n-- migrate:down\n" + down + "\n";
}

/// A whole revision file of the small histories tests write: message "r<id>", the `more`
/// header lines, then `up` and `down`.
inline std::string revision_file(const std::string& id, const std::string& parent,
                                 const std::string& up, const std::string& down,
                                 const std::string& more = "") {
  return revision_headers(id, parent, "r" + id, more) + up_down(up, down);
}

}  // namespace migtest::test
