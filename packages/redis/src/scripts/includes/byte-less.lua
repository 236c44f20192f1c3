--[[
  byte_less(a, b): whether string a sorts before b by their bytes (UTF-8
  bytes order = code point order), the order Redis keeps sorted-set members
  of equal score in. Lua's own `<` uses strcoll (locale-dependent, stops at
  NUL), so it cannot be used for keys.
]]
local function byte_less(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
