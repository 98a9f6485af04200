/* daxperf poison status | clear: what the poison journal says is still poisoned, and clearing it. */
#include "cli/commands.h"
#include "poison/poison.h"
#include "lib/util.h"

#include <stdio.h>
#include <string.h>

static const char poison_usage[] =
	"usage: daxperf poison status | clear\n"
	"  status  list injections that no run cleared (a run killed with SIGKILL, a power loss)\n"
	"  clear   clear them and check they are clear; exit 1 if one could not be cleared\n"
	"The journal is $DAXPERF_STATE_DIR/poison-journal (default /var/lib/daxperf). Every daxperf run\n"
	"also clears leftovers when it starts.\n";

int cmd_poison(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(poison_usage, stdout);
		return 0;
	}
	if (argc != 2 || (strcmp(argv[1], "status") && strcmp(argv[1], "clear"))) {
		error("poison: expected 'status' or 'clear'%s%s (daxperf poison --help)", argc > 1 ? ", not " : "",
		      argc > 1 ? argv[1] : "");
		return 2;
	}
	if (!strcmp(argv[1], "status"))
		return journal_leftovers(0, 1) > 0 ? 1 : 0;
	return journal_leftovers(1, 1) ? 1 : 0;
}
