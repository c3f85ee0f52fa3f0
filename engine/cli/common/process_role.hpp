#pragma once
// This process's place in an MPI job, as the commands need it. Every rank runs the same
// command on the same inputs; rank 0 alone prints and writes, the others compute their share
// of the ensembles and write nothing (their output sink discards).

namespace ulcsim {
class Cluster;
class OutputSink;
} // namespace ulcsim

namespace ulcsim::cli {

struct ProcessRole {
    int rank = 0;
    int ranks = 1;
    int ranks_on_this_machine = 1;
    /// The ranks' cluster, which every ensemble's execution context carries (null: alone).
    Cluster* cluster = nullptr;
    /// Where this process's files go: main's sink, which discards on ranks other than 0
    /// (null: straight to disk, temporary files unregistered).
    OutputSink* output = nullptr;
};

/// A single process: rank 0 of 1, unless main set otherwise.
const ProcessRole& process_role();
void set_process_role(const ProcessRole& role);

/// Thrown on ranks other than 0 when their share of a command's last ensemble is done and
/// sent: rank 0 writes the output, and the command ends there with status 0.
struct ShareDone {};

} // namespace ulcsim::cli
