#include "measure/kmsg.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

void kmsg_job(const char *name, unsigned round, const char *what)
{
	/* opened per line: a job boundary is rare, and no descriptor is held across fork or exec */
	int fd = open("/dev/kmsg", O_WRONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return;
	char line[256];
	int n = snprintf(line, sizeof(line), "daxperf: job %.160s round %u %s\n", name, round, what);
	if (n > (int)sizeof(line) - 1)
		n = (int)sizeof(line) - 1;
	/* one record per write; a control character in a job name must not start another */
	for (int i = 0; i < n - 1; i++)
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	line[n - 1] = '\n';
	if (write(fd, line, (size_t)n) < 0) {
		/* silent: the kernel log is a help, never a reason to stop */
	}
	close(fd);
}
