# CMake toolchain for the linux-arm64 glibc prebuild, cross-compiled on an x64 Debian/Ubuntu host with
# its GCC cross compiler (apt-get install g++-aarch64-linux-gnu). scripts/prebuild.mjs passes it
# (--target linux-arm64-glibc) and adds the glibc 2.17 link libraries itself.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
# NOTE: look for libraries and CMake packages (gloo) only in the target's tree, never the host's x64 ones.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
