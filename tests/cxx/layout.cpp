/* SPDX-License-Identifier: MIT */
/* layout.c, compiled as C++: see there. */
#include "layout.c"
