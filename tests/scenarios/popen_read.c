/* SPDX-License-Identifier: MIT */
/* No verdict: a thread reads the output of popen("sleep 0.5; echo ..."):
 * the pipe's writer is another process. Main joins the reader. */
#include "scen.h"

static char line[64];

static void *reader(void *arg)
{
    scen_name("reader");
    FILE *p = popen("sleep 0.5; echo from-child", "r");
    if (!p)
        scen_die("popen: %s", strerror(errno));
    if (!fgets(line, sizeof line, p))
        scen_die("fgets");
    int st = pclose(p);
    if (st != 0)
        scen_die("pclose: 0x%x", st);
    return arg;
}

int main(void)
{
    pthread_t t;
    CHECK(pthread_create(&t, NULL, reader, NULL));
    CHECK(pthread_join(t, NULL));
    if (strcmp(line, "from-child\n"))
        scen_die("read \"%s\"", line);
    return 0;
}
