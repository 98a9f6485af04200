/* Jobs of one `group` run at the same time: each member's driver thread prepares its job, and every
 * round each member waits at the group's gate until all members still running have arrived, so
 * their timed phases start together. A member that ends early (failed, skipped, fewer rounds)
 * leaves the gate, so the others never wait for it. */
#ifndef DAXPERF_GROUP_H
#define DAXPERF_GROUP_H

#include <pthread.h>

struct group_gate {
	pthread_mutex_t lock;
	pthread_cond_t all_here;
	unsigned members;    /* members still running rounds */
	unsigned arrived;    /* members waiting at the gate in this generation */
	unsigned generation; /* counts opened gates */
};

/* A member's place in its group: the gate, and the index its first worker has among all the group's
 * workers, so members spread over the CPUs instead of all starting at the first. */
struct group_seat {
	struct group_gate *gate;
	unsigned first_worker;
};

void group_gate_init(struct group_gate *g, unsigned members);
void group_gate_destroy(struct group_gate *g);
/* Waits until every member still in the group has arrived; the last to arrive opens the gate. */
void group_gate_wait(struct group_gate *g);
/* Takes a finished member out of the group (once per member, when its rounds are over). */
void group_gate_leave(struct group_gate *g);

#endif
