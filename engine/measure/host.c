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
	static char label[96];
	const char *lab = getenv("DAXPERF_LAB"), *medium = getenv("DAXPERF_LAB_MEDIUM");
	if (!lab || *lab != '1')
		return NULL;
	/* memmap= was the lab's only medium before --medium: the words stay the same for it */
	if (!medium || !*medium || !strcmp(medium, "memmap"))
		return "daxperf lab: QEMU TCG with memmap= pmem; absolute times mean nothing";
	fmt_into(label, sizeof(label), "daxperf lab: QEMU TCG with %s pmem; absolute times mean nothing", medium);
	return label;
}

int host_lab_medium(struct lab_medium *m)
{
	memset(m, 0, sizeof(*m));
	const char *name = getenv("DAXPERF_LAB_MEDIUM");
	if (!name || !*name)
		return 0;
	const char *mode = getenv("DAXPERF_LAB_NS_MODE"), *align = getenv("DAXPERF_LAB_NS_ALIGN"),
		   *desc = getenv("DAXPERF_LAB_MEDIUM_DESC");
	fmt_into(m->name, sizeof(m->name), "%s", name);
	fmt_into(m->ns_mode, sizeof(m->ns_mode), "%s", mode ? mode : "");
	m->align = align ? strtoull(align, NULL, 10) : 0;
	fmt_into(m->desc, sizeof(m->desc), "%s", desc && *desc ? desc : name);
	return 1;
}
