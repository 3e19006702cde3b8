// The project's own migtest command: the stock one plus its C++ revisions.
#include <migtest/cli.hpp>

int main(int argc, char** argv) { return migtest::cli::main(argc, argv); }
