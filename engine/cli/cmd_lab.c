/* `daxperf lab`: the emulated pmem machine. The work (kernel, initramfs, QEMU) is scripts/lab;
 * this hands it the arguments so that users meet one binary. */
#include "cli/commands.h"
#include "lib/paths.h"
#include "lib/util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_lab(int argc, char **argv)
{
	char script[PATH_MAX];
	if (!fmt_into(script, sizeof(script), "%s/scripts/lab", daxperf_home()) || access(script, X_OK))
		return error("lab: %s: %s", script, strerror(errno)), 3;
	argv[0] = script;
	(void)argc;
	execv(script, argv);
	return error("lab: cannot run %s: %s", script, strerror(errno)), 3;
}
