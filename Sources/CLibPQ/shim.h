// libpq, PostgreSQL's C client library (Debian's libpq-dev), for the PostgreSQL stores.
// The include path comes from `pkg-config libpq` (-I/usr/include/postgresql).
#ifndef LYCEUM_CLIBPQ_SHIM_H
#define LYCEUM_CLIBPQ_SHIM_H

#include <libpq-fe.h>

#endif
