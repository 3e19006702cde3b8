#include "migtest/cli.hpp"

int main(int argc, char** argv) { return migtest::cli::main(argc, argv); }
