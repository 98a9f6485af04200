/* Kernel log findings: the lab's WARNING in dax_insert_entry, a BUG whose function comes from RIP,
 * a hung task with its own trace, a lone call trace, memory failures, and boot noise that is none. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>
#include "result/kernlog.h"

static const char log_text[] =
	"[    0.000000] Linux version 6.1.0-57-amd64\n"
	"[    1.234567] nd_pmem namespace0.0: unable to guarantee persistence of writes\n"
	"[   12.500000] ------------[ cut here ]------------\n"
	"[   12.500001] WARNING: CPU: 1 PID: 412 at fs/dax.c:380 dax_insert_entry+0x2a0/0x330\n"
	"[   12.500002] Modules linked in: xfs nd_pmem\n"
	"[   12.500003] RIP: 0010:dax_insert_entry+0x2a0/0x330\n"
	"[   12.500004] Call Trace:\n"
	"[   12.500005]  <TASK>\n"
	"[   12.500006]  dax_fault_iter+0x2b1/0x5f0\n"
	"<4>[   20.000000] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n"
	"[   20.000001] RIP: 0010:__vm_insert_mixed+0x1a/0x90\n"
	"[   30.000000] kernel BUG at mm/filemap.c:1619!\n"
	"[   40.000000] Memory failure: 0x140123: recovery action for dirty LRU page: Recovered\n";

static const char hung[] =
	"[  200.0] INFO: task daxperf:300 blocked for more than 120 seconds.\n"
	"[  200.1] Call Trace:\n"
	"[  200.2]  <TASK>\n"
	"[  200.3]  schedule+0x5e/0xd0\n";

static void finds_each_kind_with_location(void **state)
{
	(void)state;
	json_t *a = kernlog_events_json(log_text);
	assert_int_equal(json_array_size(a), 4);
	json_t *w = json_array_get(a, 0);
	assert_string_equal(json_string_value(json_object_get(w, "kind")), "WARNING");
	assert_string_equal(json_string_value(json_object_get(w, "location")), "fs/dax.c:380");
	assert_string_equal(json_string_value(json_object_get(w, "function")), "dax_insert_entry");
	assert_true(!strncmp(json_string_value(json_object_get(w, "text")), "WARNING: CPU: 1", 15));
	json_t *o = json_array_get(a, 1);
	assert_string_equal(json_string_value(json_object_get(o, "kind")), "Oops");
	assert_string_equal(json_string_value(json_object_get(o, "function")), "__vm_insert_mixed");
	json_t *b = json_array_get(a, 2);
	assert_string_equal(json_string_value(json_object_get(b, "kind")), "BUG");
	assert_string_equal(json_string_value(json_object_get(b, "location")), "mm/filemap.c:1619");
	json_t *m = json_array_get(a, 3);
	assert_string_equal(json_string_value(json_object_get(m, "kind")), "Memory failure");
	assert_false(kernlog_kind_is_fault("Memory failure"));
	assert_true(kernlog_kind_is_fault("WARNING"));
	json_decref(a);
}

/* 6.1 in the lab: a BUG_ON is "kernel BUG at", then "invalid opcode", then the RIP naming the function */
static void bug_then_invalid_opcode_is_one_finding(void **state)
{
	(void)state;
	json_t *a = kernlog_events_json("[   43.375247] kernel BUG at fs/inode.c:657!\n"
					"[   43.375855] invalid opcode: 0000 [#1] PREEMPT SMP NOPTI\n"
					"[   43.376000] CPU: 1 PID: 172 Comm: daxperf Tainted: G        W\n"
					"[   43.376621] RIP: 0010:clear_inode+0x65/0x70\n");
	assert_int_equal(json_array_size(a), 1);
	json_t *b = json_array_get(a, 0);
	assert_string_equal(json_string_value(json_object_get(b, "kind")), "BUG");
	assert_string_equal(json_string_value(json_object_get(b, "location")), "fs/inode.c:657");
	assert_string_equal(json_string_value(json_object_get(b, "function")), "clear_inode");
	json_decref(a);
}

static void hung_task_keeps_its_trace(void **state)
{
	(void)state;
	json_t *a = kernlog_events_json(hung);
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "kind")), "hung task");
	json_decref(a);
}

static void lone_trace_names_its_function(void **state)
{
	(void)state;
	json_t *a = kernlog_events_json("[ 5.0] Call Trace:\n[ 5.1]  <TASK>\n[ 5.2]  xfs_dax_fault+0x10/0x20 [xfs]\n");
	assert_int_equal(json_array_size(a), 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(a, 0), "function")), "xfs_dax_fault");
	json_decref(a);
	a = kernlog_events_json("[ 0.0] Linux version 6.1\n[ 1.0] pmem0: detected capacity change\n");
	assert_int_equal(json_array_size(a), 0);
	json_decref(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(finds_each_kind_with_location),
		cmocka_unit_test(bug_then_invalid_opcode_is_one_finding),
		cmocka_unit_test(hung_task_keeps_its_trace),
		cmocka_unit_test(lone_trace_names_its_function),
	};
	return cmocka_run_group_tests_name("kernlog", tests, NULL, NULL);
}
