/*
 * versions.c - owns which event types each format version can record: the
 * ones the first writer revision (version 2) knows; everything else came
 * with version 3 (the phases each version samples are in phases.def). The
 * simulator writes its version 2 samples by this table, and compare uses
 * it not to count as a change what an older report could not have shown.
 */
#include <rpiperf/report.h>

#include <stddef.h>

/* The event types of the first writer revision. */
static const rpp_event_type v2_types[] = {
    RPP_EV_OS_LIST_FETCH, RPP_EV_OS_LIST_PARSE, RPP_EV_SUBLIST_FETCH,
    RPP_EV_NETWORK_LATENCY, RPP_EV_DRIVE_LIST_POLL, RPP_EV_DRIVE_OPEN,
    RPP_EV_DRIVE_UNMOUNT, RPP_EV_DRIVE_FORMAT, RPP_EV_CACHE_LOOKUP,
    RPP_EV_CACHE_VERIFICATION, RPP_EV_CACHE_WRITE, RPP_EV_CACHE_FLUSH,
    RPP_EV_MEMORY_ALLOCATION, RPP_EV_BUFFER_RESIZE, RPP_EV_PAGE_CACHE_FLUSH,
    RPP_EV_IMAGE_DECOMPRESS_INIT, RPP_EV_IMAGE_EXTRACTION,
    RPP_EV_HASH_COMPUTATION, RPP_EV_CUSTOMISATION,
    RPP_EV_CLOUD_INIT_GENERATION, RPP_EV_FIRST_RUN_GENERATION,
    RPP_EV_SECURE_BOOT_SETUP, RPP_EV_PARTITION_TABLE_WRITE,
    RPP_EV_FAT_PARTITION_SETUP, RPP_EV_FINAL_SYNC, RPP_EV_DEVICE_CLOSE,
    RPP_EV_FILE_DIALOG_OPEN
};

int rpp_event_type_since(rpp_event_type t)
{
    size_t i;

    for (i = 0; i < sizeof(v2_types) / sizeof(v2_types[0]); i++)
        if (v2_types[i] == t)
            return 2;
    return 3;
}
