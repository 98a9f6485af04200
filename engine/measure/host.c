#include "measure/host.h"
#include "measure/topo.h"
#include "lib/util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <unistd.h>

static void cpu_model(char *buf, size_t len)
{
	snprintf(buf, len, "unknown");
	char *info = read_file("/proc/cpuinfo", NULL);
	if (!info)
		return;
	char *m = strstr(info, "model name");
	if (m && (m = strchr(m, ':'))) {
		char *eol = strchr(m, '\n');
		if (eol)
			*eol = '\0';
		snprintf(buf, len, "%s", trim(m + 1));
	}
	free(info);
}

void host_info_read(struct host_info *h)
{
	memset(h, 0, sizeof(*h));
	struct utsname u;
	if (uname(&u) == 0) {
		fmt_into(h->kernel, sizeof(h->kernel), "%s", u.release);
		fmt_into(h->kernel_version, sizeof(h->kernel_version), "%s", u.version);
		fmt_into(h->machine, sizeof(h->machine), "%s", u.machine);
		fmt_into(h->hostname, sizeof(h->hostname), "%s", u.nodename);
	}
	cpu_model(h->cpu_model, sizeof(h->cpu_model));
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	h->cpus = n > 0 ? (unsigned)n : 1;
	struct sysinfo si;
	if (sysinfo(&si) == 0)
		h->memory_bytes = (uint64_t)si.totalram * si.mem_unit;
	h->numa_nodes = topo_numa_nodes();
}

const char *host_emulated(void)
{
	const char *lab = getenv("DAXPERF_LAB");
	return lab && *lab == '1' ? "daxperf lab: QEMU TCG with memmap= pmem; absolute times mean nothing" : NULL;
}
