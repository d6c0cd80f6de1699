# Sourced by bench_compare.sh and bench_scaling.sh: the alternating rounds
# both use. `both_sides ROUND FILE ARG…` runs `ours ARG…` and `theirs ARG…`
# (functions the caller defines: Torchlet's bench and bench_pytorch.py)
# back to back, Torchlet first in odd rounds and PyTorch first in even
# ones, and appends their lines to FILE prefixed "ROUND torchlet " or
# "ROUND pytorch ".
both_sides() {
    local round=$1 file=$2
    shift 2
    if [ $((round % 2)) = 1 ]; then
        ours "$@" | sed "s/^/$round torchlet /" >>"$file"
        theirs "$@" | sed "s/^/$round pytorch /" >>"$file"
    else
        theirs "$@" | sed "s/^/$round pytorch /" >>"$file"
        ours "$@" | sed "s/^/$round torchlet /" >>"$file"
    fi
}
