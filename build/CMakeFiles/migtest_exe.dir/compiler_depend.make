# Empty compiler generated dependencies file for migtest_exe.
# This may be replaced when dependencies are built.
