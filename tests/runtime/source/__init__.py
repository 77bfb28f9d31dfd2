"""Unit tests of patches/runtime/ where it is written (imported as `patches.runtime`), one file per module.

The behaviour tests beside this folder go through the generated package and a loopback server.
"""
