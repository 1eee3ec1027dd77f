// Package hdfs is Confluent's HDFS sink, io.confluent.connect.hdfs.
// HdfsSinkConnector and its HDFS 3 successor: records of each Kafka
// partition go to Avro, Parquet, JSON or text files under
// <topics.dir>/<topic>/<encoded partition>/, committed every flush.size
// records as <topic>+<partition>+<start offset>+<end offset>.<ext>.
//
// Delivery is exactly once, with the files as the only record of progress:
// a file is written under <topics.dir>/+tmp/, closed, and moved to its
// committed name in a step recorded in a per-partition write-ahead log
// (<logs.dir>/<topic>/<partition>/log) first. When a partition is opened,
// an interrupted commit is finished from the log, temporary files are
// deleted, and the consumer is moved to the offset after the highest
// committed one, whatever the consumer group says.
//
// Differences from Confluent's connector, where its behaviour hurts users:
//
//   - The store is a local directory (a path or a file:// URL) as well as
//     HDFS, so the lab runs without a cluster.
//   - Temporary files are named after their Kafka partition, so the ones a
//     crashed worker left are deleted on recovery instead of piling up.
//   - Records already in committed files are skipped if they are delivered
//     again, rather than relying only on the consumer's seek.
//   - Hive integration and Kerberos are not supported; the keys are
//     accepted and true is refused with a message naming the key.
//   - With schema.compatibility other than NONE, the first file after a
//     restart takes the schema of its first record rather than that of the
//     last committed file.
package hdfs

const pluginDoc = `Writes the records of Kafka topics to files in a directory or on HDFS, in Avro, Parquet, JSON or plain text, exactly once.

Each Kafka partition's records go to ` + "`<topics.dir>/<topic>/<encoded partition>/`" + ` (` + "`partition=<n>`" + ` with the default partitioner), in files named ` + "`<topic>+<partition>+<first offset>+<last offset>.<ext>`" + ` with offsets zero-padded to ` + "`filename.offset.zero.pad.width`" + ` digits. A file is committed after ` + "`flush.size`" + ` records, when ` + "`rotate.interval.ms`" + ` or ` + "`rotate.schedule.interval.ms`" + ` passes, or when the value schema changes.

Files are written under ` + "`<topics.dir>/+tmp/`" + ` and moved into place through a write-ahead log in ` + "`logs.dir`" + `; on start each partition resumes after the highest offset in its committed files, so a crash at any point neither loses nor duplicates a record.`

const pluginExample = "```properties\n" + `name=hdfs-sink
connector.class=io.confluent.connect.hdfs.HdfsSinkConnector
tasks.max=1
topics=test_hdfs
hdfs.url=file:///tmp/hdfs-lab
flush.size=3
` + "```\n\n" + `Seven records in ` + "`test_hdfs`" + ` give ` + "`topics/test_hdfs/partition=0/test_hdfs+0+0000000000+0000000002.avro`" + ` and ` + "`test_hdfs+0+0000000003+0000000005.avro`" + `; the seventh waits in a temporary file for two more records or a rotation interval.`
