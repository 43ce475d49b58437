# SPDX-License-Identifier: GPL-2.0
# N calls give exactly N hits, single- and multi-threaded; the program's
# output is the same with and without the probe; after removal the text is
# the file's again.
. "$SUITE/lib.sh"
load
ref1=$(target loop 1000)
ref4=$(target loop 20000 4)
id=$(uprobectl add --name tf "$(where target_func)") || fail "add"
assert_eq "$(hits "$id")" 0 "no hits yet"
assert_eq "$(target loop 1000)" "$ref1" "output with the probe, 1 thread"
assert_eq "$(hits "$id")" 1000 "1000 calls, 1000 hits"
assert_eq "$(target loop 20000 4)" "$ref4" "output with the probe, 4 threads"
assert_eq "$(hits "$id")" 81000 "4 threads x 20000 more calls"
uprobectl list
uprobectl del "$id" || fail "del"
assert_eq "$(hits "$id")" "" "probe gone from the list"
assert_eq "$(target loop 1000)" "$ref1" "output after removal"
unload
