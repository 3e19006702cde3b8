# Empty compiler generated dependencies file for migtest_cli.
# This may be replaced when dependencies are built.
