// Prints a Parquet file as hyparquet reads it, as one JSON document:
// {"schema": [...], "metadata": {...}, "codecs": [...], "num_rows": ...,
// "rows": [...]}. Values JSON cannot hold exactly are tagged:
// {"bigint": "..."}, {"bytes": "<base64>"}, {"date": "<ISO 8601>"}.
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'

const [path] = process.argv.slice(2)
if (!path) {
  console.error('usage: node read.mjs FILE.parquet')
  process.exit(2)
}

const file = await asyncBufferFromFile(path)
const metadata = await parquetMetadataAsync(file)
// utf8: false keeps BYTE_ARRAY columns without a STRING annotation as bytes.
const rows = await parquetReadObjects({ file, metadata, compressors, utf8: false })

const schema = metadata.schema.map(e => ({
  name: e.name,
  type: e.type,
  repetition_type: e.repetition_type,
  converted_type: e.converted_type,
  logical_type: e.logical_type,
}))
const kv = Object.fromEntries((metadata.key_value_metadata ?? []).map(({ key, value }) => [key, value]))
const codecs = [...new Set(metadata.row_groups.flatMap(g => g.columns.map(c => c.meta_data.codec)))]

function tag(value) {
  // hyparquet reads a null group as undefined, which JSON.stringify drops.
  if (value === undefined) return null
  if (typeof value === 'bigint') return { bigint: value.toString() }
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('base64') }
  if (value instanceof Date) return { date: value.toISOString() }
  if (Array.isArray(value)) return value.map(tag)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, tag(v)]))
  }
  return value
}

process.stdout.write(JSON.stringify({ schema, metadata: kv, codecs, num_rows: tag(metadata.num_rows), rows: tag(rows) }) + '\n')
