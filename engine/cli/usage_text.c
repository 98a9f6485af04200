/* A command's own --help text, taken from the command itself so the man page and the completion
 * script repeat exactly what `daxperf CMD --help` says. */
#include "cli/commands.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lib/util.h"

char *command_usage(const struct command_doc *c)
{
	int p[2];
	fflush(NULL); /* nothing buffered may be written twice by the child */
	if (pipe(p))
		return NULL;
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return NULL;
	}
	if (pid == 0) {
		/* the child runs the command with --help, its stdout into the pipe, its complaints nowhere */
		int null = open("/dev/null", O_WRONLY);
		dup2(p[1], 1);
		if (null >= 0)
			dup2(null, 2);
		close(p[0]);
		char *argv[] = { (char *)c->name, "--help", NULL };
		int rc = c->fn(2, argv);
		fflush(stdout);
		_exit(rc & 0xff);
	}
	close(p[1]);
	size_t len = 0, cap = 4096;
	char *text = xcalloc(1, cap);
	ssize_t got;
	while ((got = read(p[0], text + len, cap - len - 1)) > 0) {
		len += (size_t)got;
		if (cap - len < 2)
			text = xrealloc(text, cap *= 2);
	}
	text[len] = '\0';
	close(p[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) || strncmp(text, "usage:", 6)) {
		free(text);
		return NULL;
	}
	return text;
}
