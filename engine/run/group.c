#include "run/group.h"

void group_gate_init(struct group_gate *g, unsigned members)
{
	pthread_mutex_init(&g->lock, NULL);
	pthread_cond_init(&g->all_here, NULL);
	g->members = members;
	g->arrived = 0;
	g->generation = 0;
}

void group_gate_destroy(struct group_gate *g)
{
	pthread_cond_destroy(&g->all_here);
	pthread_mutex_destroy(&g->lock);
}

/* Called with the lock held: opens the gate when everyone still in the group is waiting. */
static void open_if_all_here(struct group_gate *g)
{
	if (g->arrived > 0 && g->arrived >= g->members) {
		g->arrived = 0;
		g->generation++;
		pthread_cond_broadcast(&g->all_here);
	}
}

void group_gate_wait(struct group_gate *g)
{
	pthread_mutex_lock(&g->lock);
	unsigned gen = g->generation;
	g->arrived++;
	open_if_all_here(g);
	while (gen == g->generation)
		pthread_cond_wait(&g->all_here, &g->lock);
	pthread_mutex_unlock(&g->lock);
}

void group_gate_leave(struct group_gate *g)
{
	pthread_mutex_lock(&g->lock);
	g->members--;
	open_if_all_here(g);
	pthread_mutex_unlock(&g->lock);
}
