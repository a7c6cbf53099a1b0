/* SPDX-License-Identifier: MIT */
#include "asl_sandbox.h"

_Atomic int asl_sandbox_flag; /* asl_sandbox_enter; never cleared */
