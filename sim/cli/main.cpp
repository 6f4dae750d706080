#include "cli/commands.hpp"

int main(int argc, char** argv) { return dasim::cli::main(argc, argv); }
