-- A format file: returns a function (doc, opts) -> string. It is loaded in a
-- sandbox (string, table and math only; no io, os or require).
return function(doc)
  local out = { "speaker\tkind\tcue\tquote" }
  for _, q in ipairs(doc.quotes) do
    out[#out + 1] = table.concat({ q.speaker or q.speaker_text or "", q.kind, q.cue or "",
                                   q.text }, "\t")
  end
  return table.concat(out, "\n") .. "\n"
end
