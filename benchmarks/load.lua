-- wrk script: POST one real Dash callback (the region/measure panels) to /_dash-update-component.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local regions = {"KR01", "FG10", "RD308", "GM0363", "PV25", "AR05", "G-KRIMP", "GM1966", "NL01", "KR06"}
local i = 0
request = function()
  i = i + 1
  local region = regions[(i % #regions) + 1]
  local body = '{"output":"..trend.figure...growth.figure...policies.children...series-table.children...region-title.children...region-notes.children...members.children...sources.children...wijk-figures.children..",' ..
    '"outputs":[{"id":"trend","property":"figure"},{"id":"growth","property":"figure"},{"id":"policies","property":"children"},' ..
    '{"id":"series-table","property":"children"},{"id":"region-title","property":"children"},{"id":"region-notes","property":"children"},' ..
    '{"id":"members","property":"children"},{"id":"sources","property":"children"},{"id":"wijk-figures","property":"children"}],' ..
    '"inputs":[{"id":"region","property":"value","value":"' .. region .. '"},{"id":"measure","property":"value","value":"population"},' ..
    '{"id":"view","property":"value","value":"counts"},{"id":"lang","property":"value","value":"nl"},' ..
    '{"id":"boundaries","property":"value","value":"latest"},{"id":"compare","property":"value","value":"auto"}],' ..
    '"changedPropIds":["region.value"],"state":[]}'
  return wrk.format(nil, "/_dash-update-component", nil, body)
end
