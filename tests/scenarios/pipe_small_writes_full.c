/* SPDX-License-Identifier: MIT */
/* Verdict: pipe_write_full, but the writer fills the pipe 100 bytes at a
 * time.  Its first writes into the nearly empty pipe skip the shim's
 * non-waiting try (hook_io.c: a pipe's fill); the fill count must bring the
 * tries back before the pipe is full, so that the write that blocks is
 * recorded.  All asleep (wait kind pipe-write on the write end). */
#define CHUNK 100
#include "pipe_write_full.c"
