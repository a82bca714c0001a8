# Sourced by build.sh and the smoke test's scripts: `source podman-env.sh <dir>` writes
# <dir>/containers.conf and points podman at it (CONTAINERS_CONF), nothing in /etc. This machine
# kind refuses podman's default rlimits (nofile above the hard limit) and crun's handling of its
# hybrid cgroup mount: open files up to the hard limit we have, and runc (MACHINE.md).
conf="$1/containers.conf"
cat > "$conf" <<CONF
[containers]
default_ulimits = ["nofile=$(ulimit -Hn):$(ulimit -Hn)", "nproc=32768:32768"]

[engine]
runtime = "runc"
CONF
export CONTAINERS_CONF="$conf"
