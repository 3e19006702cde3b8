# Empty dependencies file for migtest.
# This may be replaced when dependencies are built.
