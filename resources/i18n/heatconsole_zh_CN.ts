<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>ActionWords</name>
    <message>
        <source>acknowledge {n} alarm(s)</source>
        <translation>确认 {n} 条报警</translation>
    </message>
    <message>
        <source>shelve {n} alarm(s)</source>
        <translation>搁置 {n} 条报警</translation>
    </message>
    <message>
        <source>unshelve {n} alarm(s)</source>
        <translation>取消搁置 {n} 条报警</translation>
    </message>
    <message>
        <source>silence</source>
        <translation>消音</translation>
    </message>
    <message>
        <source>note</source>
        <translation>记录备注</translation>
    </message>
    <message>
        <source>write {station}.{point} = {value}</source>
        <translation>写入 {station}.{point} = {value}</translation>
    </message>
</context>
<context>
    <name>Advisory</name>
    <message>
        <source>coldest rooms forecast below {limit} °C in ~{hours} h (≈ {clock})</source>
        <translation>最冷房间预计约 {hours} 小时后（≈ {clock}）低于 {limit} °C</translation>
    </message>
    <message>
        <source>cold-room advisory cleared: room below the limit (alarm)</source>
        <translation>低温预警解除：房间已低于限值（转为报警）</translation>
    </message>
    <message>
        <source>cold-room advisory cleared: no longer forecast</source>
        <translation>低温预警解除：预测不再偏冷</translation>
    </message>
    <message>
        <source>room forecast advisories paused: outdoor forecast {state}</source>
        <translation>室温预测预警暂停：室外气温预报{state}</translation>
    </message>
    <message>
        <source>room forecast advisories resumed: outdoor forecast usable again</source>
        <translation>室温预测预警恢复：室外气温预报重新可用</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>已过期</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>缺失</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>无效</translation>
    </message>
    <message>
        <source>advisory raised</source>
        <translation>发出预警</translation>
    </message>
    <message>
        <source>advisory cleared</source>
        <translation>预警解除</translation>
    </message>
    <message>
        <source>advisories paused</source>
        <translation>预警暂停</translation>
    </message>
    <message>
        <source>advisories resumed</source>
        <translation>预警恢复</translation>
    </message>
</context>
<context>
    <name>AlarmBanner</name>
    <message>
        <source>No unacknowledged alarms</source>
        <translation>无未确认报警</translation>
    </message>
    <message>
        <source>Silence (F10)</source>
        <translation>消音 (F10)</translation>
    </message>
    <message>
        <source>Stop the alarm sound. Alarms stay unacknowledged.</source>
        <translation>停止报警声音。报警仍保持未确认。</translation>
    </message>
    <message>
        <source>Stops this console&apos;s horn only — {reason}</source>
        <translation>仅停止本台报警音 — {reason}</translation>
    </message>
    <message>
        <source>+{n} more unacknowledged</source>
        <translation>另有 {n} 条未确认</translation>
    </message>
    <message>
        <source>No audio device: visual alarms only</source>
        <translation>无音频设备：仅显示报警</translation>
    </message>
    <message>
        <source>♪ Horn sounding</source>
        <translation>♪ 声响报警中</translation>
    </message>
</context>
<context>
    <name>AlarmState</name>
    <message>
        <source>Normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>● Unacked</source>
        <translation>● 未确认</translation>
    </message>
    <message>
        <source>Acked</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>○ Cleared, unack</source>
        <translation>○ 已恢复，未确认</translation>
    </message>
    <message>
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>已停用</translation>
    </message>
</context>
<context>
    <name>AlarmSummary</name>
    <message>
        <source>Active and unacknowledged</source>
        <translation>活动及未确认</translation>
    </message>
    <message>
        <source>Unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>Shelved / suppressed</source>
        <translation>已搁置 / 已抑制</translation>
    </message>
    <message>
        <source>All states</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>{action}: not allowed — {reason}</source>
        <translation>{action}：无权操作 — {reason}</translation>
    </message>
    <message>
        <source>All districts</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <source>Filter: station, 站名, point, text…</source>
        <translation>筛选：站号、站名、测点、文本…</translation>
    </message>
    <message>
        <source>Show {priority} alarms</source>
        <translation>显示优先级为“{priority}”的报警</translation>
    </message>
    <message>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>Acknowledge all shown</source>
        <translation>确认全部显示的报警</translation>
    </message>
    <message>
        <source>Shelve…</source>
        <translation>搁置…</translation>
    </message>
    <message>
        <source>Unshelve</source>
        <translation>取消搁置</translation>
    </message>
    <message>
        <source>Silence</source>
        <translation>消音</translation>
    </message>
    <message>
        <source> · rooms one per station ({alarms} alarms)</source>
        <translation> · 同站房间合计为一条（共 {alarms} 条报警）</translation>
    </message>
    <message>
        <source>Go to station</source>
        <translation>转到热力站</translation>
    </message>
    <message>
        <source>{action}: stops this console&apos;s horn only — {reason}</source>
        <translation>{action}：仅停止本台报警音 — {reason}</translation>
    </message>
    <message>
        <source>⚠  Alarm flood: {n} new alarms in {minutes} min — work from the top (highest priority first)</source>
        <translation>⚠  报警泛滥：{minutes} 分钟内新增 {n} 条报警 — 请从上往下处理（先处理最高优先级）</translation>
    </message>
    <message>
        <source>Unacknowledged &lt;b&gt;{unacked}&lt;/b&gt; · Active &lt;b&gt;{active}&lt;/b&gt; · Shelved/suppressed &lt;b&gt;{shelved}&lt;/b&gt;</source>
        <translation>未确认 &lt;b&gt;{unacked}&lt;/b&gt; · 活动 &lt;b&gt;{active}&lt;/b&gt; · 已搁置/抑制 &lt;b&gt;{shelved}&lt;/b&gt;</translation>
    </message>
</context>
<context>
    <name>AlarmTreeModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>热力站</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <source>shelved by {user}</source>
        <translation>由 {user} 搁置</translation>
    </message>
    <message>
        <source>({n} alarms)</source>
        <translation>（{n} 条报警）</translation>
    </message>
</context>
<context>
    <name>AnalogIndicator</name>
    <message>
        <source>normal {low} … {high} {unit}</source>
        <translation>正常范围 {low} … {high} {unit}</translation>
    </message>
    <message>
        <source>alarm limits {low} / {high} {unit}</source>
        <translation>报警限值 {low} / {high} {unit}</translation>
    </message>
    <message>
        <source>setpoint {value} {unit}</source>
        <translation>设定值 {value} {unit}</translation>
    </message>
    <message>
        <source>quality: {quality}</source>
        <translation>数据质量：{quality}</translation>
    </message>
    <message>
        <source>at {time}</source>
        <translation>时间 {time}</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <source>And ask the plants (the console does not write these):</source>
        <translation>另需通知热源执行（本系统不下发这些调整）：</translation>
    </message>
</context>
<context>
    <name>Doorway</name>
    <message>
        <source>waiting for the server to confirm your role</source>
        <translation>正在等待服务器确认您的角色</translation>
    </message>
</context>
<context>
    <name>EnergyPanel</name>
    <message>
        <source>Metering needs the history: {reason}</source>
        <translation>热计量需要读取历史数据：{reason}</translation>
    </message>
    <message>
        <source>Metering exported: {n} rows to {path}</source>
        <translation>热计量已导出：{n} 行，保存至 {path}</translation>
    </message>
    <message>
        <source>Metering export failed: {path}: {error}</source>
        <translation>热计量导出失败：{path}：{error}</translation>
    </message>
    <message>
        <source>Open a station to change its curve.</source>
        <translation>请先打开一个热力站，再修改其供热曲线。</translation>
    </message>
    <message>
        <source>Changing the curve: {reason}</source>
        <translation>修改供热曲线：{reason}</translation>
    </message>
    <message>
        <source>The station is under LOCAL control: the curve cannot be changed.</source>
        <translation>该站处于就地控制：不能修改供热曲线。</translation>
    </message>
    <message>
        <source>This station has no heating curve.</source>
        <translation>该站没有供热曲线。</translation>
    </message>
    <message>
        <source>The station&apos;s data is not good: wait for good data.</source>
        <translation>该站数据质量不正常：请等待数据恢复正常。</translation>
    </message>
    <message>
        <source>Curve: T3 at {outdoor} °C outdoor</source>
        <translation>供热曲线：室外温度 {outdoor} °C 时的 T3</translation>
    </message>
    <message>
        <source>Change curve shift…</source>
        <translation>修改曲线平移…</translation>
    </message>
</context>
<context>
    <name>ForecastChart</name>
    <message>
        <source>room mean, measured</source>
        <translation>平均室温（实测）</translation>
    </message>
    <message>
        <source>room mean, forecast (band 90 %)</source>
        <translation>平均室温（预测，90% 区间）</translation>
    </message>
    <message>
        <source>coldest room, measured</source>
        <translation>最冷房间（实测）</translation>
    </message>
    <message>
        <source>coldest room, forecast (band 90 %)</source>
        <translation>最冷房间（预测，90% 区间）</translation>
    </message>
    <message>
        <source>outdoor forecast (right axis)</source>
        <translation>室外温度预报（右轴）</translation>
    </message>
    <message>
        <source>room °C</source>
        <translation>室温 °C</translation>
    </message>
    <message>
        <source>outdoor °C</source>
        <translation>室外温度 °C</translation>
    </message>
    <message>
        <source>Room forecast 48 h — {station}</source>
        <translation>48 小时室温预测 — {station}</translation>
    </message>
    <message>
        <source>Room forecast: not configured</source>
        <translation>室温预测：未配置</translation>
    </message>
    <message>
        <source>limit {limit} °C</source>
        <translation>限值 {limit} °C</translation>
    </message>
    <message>
        <source>now {time}</source>
        <translation>当前 {time}</translation>
    </message>
    <message>
        <source>Time axis: the simulated plant&apos;s clock (×{scale} faster than the wall clock)</source>
        <translation>时间轴：模拟热网的时钟（比实际时间快 ×{scale}）</translation>
    </message>
</context>
<context>
    <name>ForecastFitLabel</name>
    <message>
        <source>Room forecast:</source>
        <translation>室温预测：</translation>
    </message>
</context>
<context>
    <name>HeatingCurve</name>
    <message>
        <source>Drag a curve point up or down, or double-click it, to change it.</source>
        <translation>上下拖动或双击曲线上的点即可修改。</translation>
    </message>
    <message>
        <source>Heating curve</source>
        <translation>供热曲线</translation>
    </message>
    <message>
        <source>Heating curve of {station}</source>
        <translation>{station} 供热曲线</translation>
    </message>
    <message>
        <source>Outdoor temperature (°C)</source>
        <translation>室外温度 (°C)</translation>
    </message>
    <message>
        <source>T3 secondary supply (°C)</source>
        <translation>T3 二次供水温度 (°C)</translation>
    </message>
    <message>
        <source>Open a station to see its curve.</source>
        <translation>打开一个热力站即可查看其供热曲线。</translation>
    </message>
    <message>
        <source>Outdoor {t} °C · T3 setpoint (active) {sp} °C · T3 actual {pv} °C</source>
        <translation>室外温度 {t} °C · T3 设定值（当前）{sp} °C · T3 实际 {pv} °C</translation>
    </message>
    <message>
        <source>Curve shift {shift} K · dashed: the curve as applied</source>
        <translation>曲线平移 {shift} K · 虚线：实际执行的曲线</translation>
    </message>
</context>
<context>
    <name>JournalActions</name>
    <message>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <source>unshelved</source>
        <translation>取消搁置</translation>
    </message>
    <message>
        <source>taken out of service</source>
        <translation>退出运行</translation>
    </message>
    <message>
        <source>returned to service</source>
        <translation>恢复运行</translation>
    </message>
    <message>
        <source>silenced the alarm sound</source>
        <translation>报警消音</translation>
    </message>
    <message>
        <source>shift note</source>
        <translation>交班备注</translation>
    </message>
    <message>
        <source>setpoint write</source>
        <translation>设定值写入</translation>
    </message>
    <message>
        <source>console started</source>
        <translation>控制台启动</translation>
    </message>
    <message>
        <source>console stopped</source>
        <translation>控制台停止</translation>
    </message>
    <message>
        <source>alarm states restored from the journal</source>
        <translation>从日志恢复报警状态</translation>
    </message>
    <message>
        <source>journal bundle imported</source>
        <translation>导入日志包</translation>
    </message>
    <message>
        <source>alarm flood began</source>
        <translation>报警泛滥开始</translation>
    </message>
    <message>
        <source>alarm flood ended</source>
        <translation>报警泛滥结束</translation>
    </message>
    <message>
        <source>journal cannot write: buffering</source>
        <translation>日志无法写入：暂存内存</translation>
    </message>
    <message>
        <source>journal writing again</source>
        <translation>日志恢复写入</translation>
    </message>
    <message>
        <source>disk full: journal reserve released</source>
        <translation>磁盘已满：释放日志预留空间</translation>
    </message>
    <message>
        <source>journal reserve restored</source>
        <translation>日志预留空间已恢复</translation>
    </message>
    <message>
        <source>journal reserve short of space</source>
        <translation>日志预留空间不足</translation>
    </message>
    <message>
        <source>history paused: disk short</source>
        <translation>历史记录暂停：磁盘空间不足</translation>
    </message>
    <message>
        <source>history recording again</source>
        <translation>历史记录恢复</translation>
    </message>
</context>
<context>
    <name>JournalTableModel</name>
    <message>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>类型</translation>
    </message>
    <message>
        <source>Priority</source>
        <translation>优先级</translation>
    </message>
    <message>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>热力站</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Point</source>
        <translation>测点</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>消息</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>限值</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <source>Comment</source>
        <translation>备注</translation>
    </message>
</context>
<context>
    <name>JournalViewer</name>
    <message>
        <source>Current shift</source>
        <translation>本班</translation>
    </message>
    <message>
        <source>Last shift</source>
        <translation>上一班</translation>
    </message>
    <message>
        <source>Last 24 h</source>
        <translation>最近 24 小时</translation>
    </message>
    <message>
        <source>Custom…</source>
        <translation>自定义…</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>热力站</translation>
    </message>
    <message>
        <source>Text in message / comment</source>
        <translation>消息或备注中的文字</translation>
    </message>
    <message>
        <source>Any district</source>
        <translation>全部区域</translation>
    </message>
    <message>
        <source>Any priority</source>
        <translation>全部优先级</translation>
    </message>
    <message>
        <source>Any state</source>
        <translation>全部状态</translation>
    </message>
    <message>
        <source>Any kind</source>
        <translation>全部类型</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>from</source>
        <translation>从</translation>
    </message>
    <message>
        <source>to</source>
        <translation>至</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>Export JSON</source>
        <translation>导出 JSON</translation>
    </message>
    <message>
        <source>Write handover report…</source>
        <translation>生成交接班报告…</translation>
    </message>
    <message>
        <source>now</source>
        <translation>现在</translation>
    </message>
    <message>
        <source>(more on scroll)</source>
        <translation>（滚动加载更多）</translation>
    </message>
    <message>
        <source>{n} records</source>
        <translation>{n} 条记录</translation>
    </message>
</context>
<context>
    <name>JournalWords</name>
    <message>
        <source>communication ok</source>
        <translation>通讯正常</translation>
    </message>
    <message>
        <source>communication failed</source>
        <translation>通讯故障</translation>
    </message>
    <message>
        <source>data stale (heartbeat frozen)</source>
        <translation>数据过期（心跳停止）</translation>
    </message>
    <message>
        <source>wrong device</source>
        <translation>设备不符</translation>
    </message>
    <message>
        <source>done, read back</source>
        <translation>已完成，已回读</translation>
    </message>
    <message>
        <source>refused by the station</source>
        <translation>热力站拒绝</translation>
    </message>
    <message>
        <source>no reply — outcome unknown</source>
        <translation>无应答 — 结果未知</translation>
    </message>
    <message>
        <source>refused, nothing sent</source>
        <translation>已拒绝，未发送</translation>
    </message>
    <message>
        <source>unconfirmed: read-back differs</source>
        <translation>未确认：回读值不符</translation>
    </message>
</context>
<context>
    <name>KeyFigures</name>
    <message>
        <source>alarm after on-delay</source>
        <translation>延时后报警</translation>
    </message>
    <message>
        <source>, time ×{scale}</source>
        <translation>，时间 ×{scale}</translation>
    </message>
    <message>
        <source>alarm after on-delay (&lt; 1 min{sim})</source>
        <translation>延时后报警（&lt; 1 分钟{sim}）</translation>
    </message>
    <message>
        <source>alarm after on-delay (≈ {minutes} min{sim})</source>
        <translation>延时后报警（约 {minutes} 分钟{sim}）</translation>
    </message>
    <message>
        <source>Rooms below their limit</source>
        <translation>室温低于限值</translation>
    </message>
    <message>
        <source>Rooms below {limit} °C</source>
        <translation>室温低于 {limit} °C</translation>
    </message>
    <message>
        <source>coldest {temp} °C</source>
        <translation>最低 {temp} °C</translation>
    </message>
    <message>
        <source>no alarm yet</source>
        <translation>尚未报警</translation>
    </message>
    <message>
        <source>{alarmed} in alarm · {pending} awaiting on-delay</source>
        <translation>{alarmed} 间已报警 · {pending} 间等待延时</translation>
    </message>
    <message>
        <source>{n} new in 10 simulated min</source>
        <translation>模拟时间 10 分钟内新增 {n} 条</translation>
    </message>
    <message>
        <source>{n} new in 10 min</source>
        <translation>10 分钟内新增 {n} 条</translation>
    </message>
    <message>
        <source>FLOOD</source>
        <translation>报警泛滥</translation>
    </message>
    <message>
        <source>{rate} new / simulated h</source>
        <translation>每模拟小时新增 {rate} 条</translation>
    </message>
    <message>
        <source>{rate} new / h</source>
        <translation>每小时新增 {rate} 条</translation>
    </message>
    <message>
        <source>normal</source>
        <translation>正常</translation>
    </message>
</context>
<context>
    <name>KeyFiguresStrip</name>
    <message>
        <source>Outdoor</source>
        <translation>室外温度</translation>
    </message>
    <message>
        <source>Stations in alarm</source>
        <translation>报警热力站</translation>
    </message>
    <message>
        <source>Communication</source>
        <translation>通讯</translation>
    </message>
    <message>
        <source>Heat power</source>
        <translation>热功率</translation>
    </message>
    <message>
        <source>Unacknowledged</source>
        <translation>未确认报警</translation>
    </message>
    <message>
        <source>Alarm rate</source>
        <translation>报警频率</translation>
    </message>
    <message>
        <source>city average</source>
        <translation>全市平均</translation>
    </message>
    <message>
        <source>by district: {shares}</source>
        <translation>各区低温占比：{shares}</translation>
    </message>
    <message>
        <source>worst: {priority}</source>
        <translation>最高：{priority}</translation>
    </message>
    <message>
        <source>no active alarms</source>
        <translation>无活动报警</translation>
    </message>
    <message>
        <source>{failed} failed, {stale} stale</source>
        <translation>{failed} 站通讯故障，{stale} 站数据过期</translation>
    </message>
    <message>
        <source>no data yet</source>
        <translation>尚无数据</translation>
    </message>
    <message>
        <source>{percent} % good</source>
        <translation>{percent} % 正常</translation>
    </message>
    <message>
        <source>all stations reporting</source>
        <translation>全部热力站通讯正常</translation>
    </message>
    <message>
        <source>total, all stations</source>
        <translation>全部热力站合计</translation>
    </message>
    <message>
        <source>highest: {priority}</source>
        <translation>最高：{priority}</translation>
    </message>
    <message>
        <source>all acknowledged</source>
        <translation>全部已确认</translation>
    </message>
    <message>
        <source>Time is accelerated ×{scale}: the alarm rate counts simulated time, as the alarm timers do.</source>
        <translation>时间加速 ×{scale}：报警频率按模拟时间计算，与报警计时一致。</translation>
    </message>
</context>
<context>
    <name>Kind</name>
    <message>
        <source>alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>communication</source>
        <translation>通讯</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>configuration</source>
        <translation>配置</translation>
    </message>
    <message>
        <source>system</source>
        <translation>系统</translation>
    </message>
    <message>
        <source>advisory</source>
        <translation>预警</translation>
    </message>
</context>
<context>
    <name>LeakList</name>
    <message>
        <source>&lt; {rate} m³/h</source>
        <translation>&lt; {rate} m³/h</translation>
    </message>
    <message>
        <source>≥ {rate} m³/h</source>
        <translation>≥ {rate} m³/h</translation>
    </message>
    <message>
        <source>≈ {rate} m³/h</source>
        <translation>约 {rate} m³/h</translation>
    </message>
    <message>
        <source>Suspected leaks (make-up water balance)</source>
        <translation>疑似泄漏（补水量平衡）</translation>
    </message>
    <message>
        <source>District / station</source>
        <translation>区域 / 热力站</translation>
    </message>
    <message>
        <source>Leak</source>
        <translation>泄漏量</translation>
    </message>
    <message>
        <source>Since</source>
        <translation>开始时间</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>No suspected leak</source>
        <translation>无疑似泄漏</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <source>heatconsole — log in</source>
        <translation>heatconsole — 登录</translation>
    </message>
    <message>
        <source>Control room server: {server}</source>
        <translation>调度中心服务器：{server}</translation>
    </message>
    <message>
        <source>User</source>
        <translation>用户</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>密码</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Click a value or a room on the station view, or drag it over the Trends tab.</source>
        <translation>在热力站画面上点击数值或房间，或将其拖到“趋势”页签上。</translation>
    </message>
    <message>
        <source>acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <source>shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <source>unshelve</source>
        <translation>取消搁置</translation>
    </message>
    <message>
        <source>silence</source>
        <translation>消音</translation>
    </message>
    <message>
        <source>write</source>
        <translation>写入</translation>
    </message>
    <message>
        <source>viewer</source>
        <translation>观察员</translation>
    </message>
    <message>
        <source>operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <source>engineer</source>
        <translation>工程师</translation>
    </message>
    <message>
        <source>administrator</source>
        <translation>管理员</translation>
    </message>
    <message>
        <source>done, read back</source>
        <translation>已完成，已回读</translation>
    </message>
    <message>
        <source>REFUSED by the controller</source>
        <translation>被控制器拒绝</translation>
    </message>
    <message>
        <source>NO REPLY — outcome unknown, check the value</source>
        <translation>无应答 — 结果未知，请核对数值</translation>
    </message>
    <message>
        <source>NOT SENT</source>
        <translation>未下发</translation>
    </message>
    <message>
        <source>UNCONFIRMED — the read-back differs</source>
        <translation>未确认 — 回读值不一致</translation>
    </message>
    <message>
        <source>{title} — {network}</source>
        <translation>{title} — {network}</translation>
    </message>
    <message>
        <source>Overview</source>
        <translation>总览</translation>
    </message>
    <message>
        <source>Trends</source>
        <translation>趋势</translation>
    </message>
    <message>
        <source>Journal</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>Energy</source>
        <translation>热计量</translation>
    </message>
    <message>
        <source>Leaks</source>
        <translation>泄漏</translation>
    </message>
    <message>
        <source>Pre-heating</source>
        <translation>预热计划</translation>
    </message>
    <message>
        <source>◀ Overview</source>
        <translation>◀ 总览</translation>
    </message>
    <message>
        <source>Clear trends</source>
        <translation>清除趋势</translation>
    </message>
    <message>
        <source>waiting for the first scan…</source>
        <translation>正在等待第一次巡检…</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>热力站</translation>
    </message>
    <message>
        <source>Double-click a station on the overview or an alarm row.</source>
        <translation>在总览上双击热力站，或双击一条报警。</translation>
    </message>
    <message>
        <source>Station {station}</source>
        <translation>热力站 {station}</translation>
    </message>
    <message>
        <source>Click a value or a room for its trend · “Change…” to write a setpoint</source>
        <translation>点击数值或房间查看趋势 · 点“修改…”写入设定值</translation>
    </message>
    <message>
        <source>Alarms ({n} unack)</source>
        <translation>报警（{n} 未确认）</translation>
    </message>
    <message>
        <source>Alarms</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source>Trending: {keys}</source>
        <translation>趋势：{keys}</translation>
    </message>
    <message>
        <source>F9 (outside the Alarms tab) acknowledges the alarms shown here; on a station view, that station&apos;s alarms listed above it.</source>
        <translation>F9（在“报警”页签以外）确认这里显示的报警；在热力站画面上，确认其上方列出的该站报警。</translation>
    </message>
    <message>
        <source>F9 does not acknowledge here: {reason}</source>
        <translation>此处 F9 不能确认报警：{reason}</translation>
    </message>
    <message>
        <source>poll {period} s · all within {cycle} s</source>
        <translation>巡检 {period} 秒 · 全部 {cycle} 秒内刷新</translation>
    </message>
    <message>
        <source>poll every {period} s · all answering stations within {cycle} s · slowest scan {slowest} ms · alarm/journal batch {batch} ms</source>
        <translation>每 {period} 秒巡检 · 所有应答站 {cycle} 秒内已刷新 · 最慢巡检 {slowest} 毫秒 · 报警/日志批处理 {batch} 毫秒</translation>
    </message>
    <message>
        <source>trend: the history holds no samples before {time}</source>
        <translation>趋势：历史库中 {time} 之前没有数据</translation>
    </message>
    <message>
        <source> · first scan not complete</source>
        <translation> · 首次巡检未完成</translation>
    </message>
    <message>
        <source>stations  GOOD {good} · STALE {stale} · FAILED {failed}</source>
        <translation>热力站  正常 {good} · 数据过期 {stale} · 通讯故障 {failed}</translation>
    </message>
    <message>
        <source> · simulated time ×{scale}</source>
        <translation> · 仿真时间 ×{scale}</translation>
    </message>
    <message>
        <source>{verb}: not allowed — {reason}</source>
        <translation>{verb}：无权操作 — {reason}</translation>
    </message>
    <message>
        <source>F9: acknowledging {n} alarm(s) at {station}</source>
        <translation>F9：正在确认 {station} 的 {n} 条报警</translation>
    </message>
    <message>
        <source>F9: acknowledging {n} alarm(s) on the banner</source>
        <translation>F9：正在确认报警条上的 {n} 条报警</translation>
    </message>
    <message>
        <source>F9: no unacknowledged alarm shown at {station} — the Alarms tab (F4) lists them all</source>
        <translation>F9：{station} 没有显示未确认报警 — “报警”页签 (F4) 列出全部报警</translation>
    </message>
    <message>
        <source>F9: no unacknowledged alarm shown on the banner — the Alarms tab (F4) lists them all</source>
        <translation>F9：报警条上没有未确认报警 — “报警”页签 (F4) 列出全部报警</translation>
    </message>
    <message>
        <source> · +{n} more on the Alarms tab</source>
        <translation> · 另有 {n} 条见“报警”页签</translation>
    </message>
    <message>
        <source>Unacknowledged here (F9 acknowledges these):</source>
        <translation>本站未确认报警（F9 确认这些）：</translation>
    </message>
    <message>
        <source>Unacknowledged here:</source>
        <translation>本站未确认报警：</translation>
    </message>
    <message>
        <source>Writing {point} = {value} at {station} … waiting for the station</source>
        <translation>正在向 {station} 写入 {point} = {value} … 等待热力站应答</translation>
    </message>
    <message>
        <source>writing {station} {point} = {value} …</source>
        <translation>正在写入 {station} {point} = {value} …</translation>
    </message>
    <message>
        <source>{what}: failed — {error}</source>
        <translation>{what}：失败 — {error}</translation>
    </message>
    <message>
        <source> (read back {value})</source>
        <translation>（回读 {value}）</translation>
    </message>
    <message>
        <source> · journalled</source>
        <translation> · 已记入日志</translation>
    </message>
    <message>
        <source>{what}: done</source>
        <translation>{what}：完成</translation>
    </message>
    <message>
        <source>journal filter: {error}</source>
        <translation>日志筛选：{error}</translation>
    </message>
</context>
<context>
    <name>MeteringModel</name>
    <message>
        <source>Rank</source>
        <translation>排名</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Heated area (m²)</source>
        <translation>供热面积 (平方米)</translation>
    </message>
    <message>
        <source>Heat (GJ)</source>
        <translation>热量 (GJ)</translation>
    </message>
    <message>
        <source>Heat per area (GJ/m²)</source>
        <translation>单位面积耗热 (GJ/平方米)</translation>
    </message>
    <message>
        <source>Degree-days (K·d)</source>
        <translation>度日数</translation>
    </message>
    <message>
        <source>Per area and degree-day (MJ/m²·K·d)</source>
        <translation>单位面积每度日耗热 (兆焦/平方米·度日)</translation>
    </message>
    <message>
        <source>Data coverage</source>
        <translation>数据覆盖率</translation>
    </message>
    <message>
        <source>Meter events</source>
        <translation>热表事件</translation>
    </message>
    <message>
        <source>More than {ratio}× the median heat per m² and degree-day</source>
        <translation>单位面积每度日耗热超过中位数的 {ratio} 倍</translation>
    </message>
</context>
<context>
    <name>MeteringView</name>
    <message>
        <source>Districts</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Stations</source>
        <translation>热力站</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <source>This month</source>
        <translation>本月</translation>
    </message>
    <message>
        <source>This heating season</source>
        <translation>本供暖季</translation>
    </message>
    <message>
        <source>Export CSV</source>
        <translation>导出 CSV</translation>
    </message>
    <message>
        <source>Every station&apos;s and district&apos;s figures for today, this month and the season</source>
        <translation>各热力站与区域今日、本月和本供暖季的数据</translation>
    </message>
    <message>
        <source>No metering figures yet.</source>
        <translation>尚无计量数据。</translation>
    </message>
    <message>
        <source>{start} – {end}; degree-days base {base} °C; worst first</source>
        <translation>{start} – {end}；度日数基准 {base} °C；耗热最高者排在最前</translation>
    </message>
    <message>
        <source>counter rollover</source>
        <translation>计数器溢出归零</translation>
    </message>
    <message>
        <source>meter replaced</source>
        <translation>热表已更换</translation>
    </message>
    <message>
        <source>counter stepped back</source>
        <translation>计数器回退</translation>
    </message>
    <message>
        <source>implausible jump</source>
        <translation>不合理跳变</translation>
    </message>
</context>
<context>
    <name>NetworkSchematic</name>
    <message>
        <source>normal</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>comm failed</source>
        <translation>通讯故障</translation>
    </message>
    <message>
        <source>wrong device</source>
        <translation>设备不符</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>数据过期</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>no data yet</source>
        <translation>尚无数据</translation>
    </message>
    <message>
        <source>Comm</source>
        <translation>通讯</translation>
    </message>
    <message>
        <source>unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>Alarm</source>
        <translation>报警</translation>
    </message>
    <message>
        <source>Control</source>
        <translation>控制</translation>
    </message>
    <message>
        <source>LOCAL (on site)</source>
        <translation>就地（现场）</translation>
    </message>
    <message>
        <source>remote (SCADA)</source>
        <translation>远程（SCADA）</translation>
    </message>
    <message>
        <source>Rooms min / mean</source>
        <translation>室温 最低 / 平均</translation>
    </message>
    <message>
        <source>{n} of {total}</source>
        <translation>{n} / {total}</translation>
    </message>
    <message>
        <source>({n} below {limit} °C)</source>
        <translation>（{n} 间低于 {limit} °C）</translation>
    </message>
    <message>
        <source>Rooms &lt; {limit} °C</source>
        <translation>室温 &lt; {limit} °C</translation>
    </message>
    <message>
        <source>Rooms cold</source>
        <translation>低温房间</translation>
    </message>
    <message>
        <source>Rooms</source>
        <translation>房间</translation>
    </message>
    <message>
        <source>no room sensors</source>
        <translation>无室温测点</translation>
    </message>
    <message>
        <source>(set {value})</source>
        <translation>（设定 {value}）</translation>
    </message>
    <message>
        <source>Heat power</source>
        <translation>热功率</translation>
    </message>
    <message>
        <source>Updated</source>
        <translation>更新时间</translation>
    </message>
</context>
<context>
    <name>Point</name>
    <message>
        <source>Outdoor temperature</source>
        <translation>室外温度</translation>
    </message>
    <message>
        <source>T1 primary supply</source>
        <translation>T1 一次供水温度</translation>
    </message>
    <message>
        <source>T2 primary return</source>
        <translation>T2 一次回水温度</translation>
    </message>
    <message>
        <source>T3 secondary supply</source>
        <translation>T3 二次供水温度</translation>
    </message>
    <message>
        <source>T4 secondary return</source>
        <translation>T4 二次回水温度</translation>
    </message>
    <message>
        <source>Room temperature, mean</source>
        <translation>平均室温</translation>
    </message>
    <message>
        <source>Room temperature, min</source>
        <translation>最低室温</translation>
    </message>
    <message>
        <source>P1 primary supply pressure</source>
        <translation>P1 一次供水压力</translation>
    </message>
    <message>
        <source>P2 primary return pressure</source>
        <translation>P2 一次回水压力</translation>
    </message>
    <message>
        <source>P3 secondary supply pressure</source>
        <translation>P3 二次供水压力</translation>
    </message>
    <message>
        <source>P4 secondary return pressure</source>
        <translation>P4 二次回水压力</translation>
    </message>
    <message>
        <source>Primary flow</source>
        <translation>一次流量</translation>
    </message>
    <message>
        <source>Secondary flow</source>
        <translation>二次流量</translation>
    </message>
    <message>
        <source>Make-up flow</source>
        <translation>补水流量</translation>
    </message>
    <message>
        <source>Control valve position</source>
        <translation>调节阀开度</translation>
    </message>
    <message>
        <source>Pump 1 speed</source>
        <translation>1# 循环泵频率</translation>
    </message>
    <message>
        <source>Pump 2 speed</source>
        <translation>2# 循环泵频率</translation>
    </message>
    <message>
        <source>Heat power</source>
        <translation>热功率</translation>
    </message>
    <message>
        <source>Heat energy</source>
        <translation>累计热量</translation>
    </message>
    <message>
        <source>Primary volume</source>
        <translation>一次累计流量</translation>
    </message>
    <message>
        <source>Make-up volume</source>
        <translation>累计补水量</translation>
    </message>
    <message>
        <source>T3 setpoint (active)</source>
        <translation>T3 当前设定值</translation>
    </message>
    <message>
        <source>Status word</source>
        <translation>状态字</translation>
    </message>
    <message>
        <source>Alarm word</source>
        <translation>报警字</translation>
    </message>
    <message>
        <source>Operating mode</source>
        <translation>运行模式</translation>
    </message>
    <message>
        <source>Control (local/remote)</source>
        <translation>控制方式（就地/远程）</translation>
    </message>
    <message>
        <source>Room setpoint</source>
        <translation>室温设定值</translation>
    </message>
    <message>
        <source>Curve shift</source>
        <translation>气候补偿曲线平移</translation>
    </message>
    <message>
        <source>T3 fixed setpoint</source>
        <translation>T3 固定设定值</translation>
    </message>
    <message>
        <source>T3 minimum</source>
        <translation>T3 下限</translation>
    </message>
    <message>
        <source>T3 maximum</source>
        <translation>T3 上限</translation>
    </message>
    <message>
        <source>T3 deviation above setpoint</source>
        <translation>T3 高于设定值偏差</translation>
    </message>
    <message>
        <source>T3 deviation below setpoint</source>
        <translation>T3 低于设定值偏差</translation>
    </message>
    <message>
        <source>Secondary pressure low limit</source>
        <translation>二次压力下限</translation>
    </message>
    <message>
        <source>Secondary pressure high limit</source>
        <translation>二次压力上限</translation>
    </message>
    <message>
        <source>Primary differential pressure low limit</source>
        <translation>一次压差下限</translation>
    </message>
    <message>
        <source>Make-up flow limit</source>
        <translation>补水流量限值</translation>
    </message>
    <message>
        <source>Room temperature low limit</source>
        <translation>室温报警下限</translation>
    </message>
    <message>
        <source>Room temperature critical limit</source>
        <translation>室温紧急下限</translation>
    </message>
    <message>
        <source>Static pressure setpoint</source>
        <translation>定压设定值</translation>
    </message>
    <message>
        <source>Manual valve position</source>
        <translation>手动阀门开度</translation>
    </message>
    <message>
        <source>Manual pump speed</source>
        <translation>手动水泵频率</translation>
    </message>
    <message>
        <source>manual</source>
        <translation>手动</translation>
    </message>
    <message>
        <source>weather curve</source>
        <translation>气候补偿</translation>
    </message>
    <message>
        <source>fixed</source>
        <translation>定值</translation>
    </message>
    <message>
        <source>frost protection</source>
        <translation>防冻</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>local</source>
        <translation>就地</translation>
    </message>
    <message>
        <source>remote (SCADA)</source>
        <translation>远程（SCADA）</translation>
    </message>
    <message>
        <source>Room {n}</source>
        <translation>房间 {n}</translation>
    </message>
</context>
<context>
    <name>PreheatPanel</name>
    <message>
        <source>making the revised plan…</source>
        <translation>正在生成修正计划…</translation>
    </message>
    <message>
        <source>A plan needs the history: {reason}</source>
        <translation>预热计划需要读取历史数据：{reason}</translation>
    </message>
    <message>
        <source>Reading the stations&apos; history…</source>
        <translation>正在读取各站历史数据…</translation>
    </message>
    <message>
        <source>Waiting for the simulated past the models fit on…</source>
        <translation>正在等待模拟的过去数据（模型据此拟合）…</translation>
    </message>
    <message>
        <source>Fitting the stations&apos; models…</source>
        <translation>正在辨识各站热力模型…</translation>
    </message>
    <message>
        <source>No plan: {reason}</source>
        <translation>未生成计划：{reason}</translation>
    </message>
    <message>
        <source>Writes of the last batch are still under way.</source>
        <translation>上一批写入尚未完成。</translation>
    </message>
    <message>
        <source>Applying the plan</source>
        <translation>执行预热计划</translation>
    </message>
    <message>
        <source>A plan is in force: its revisions are applied with Apply revision….</source>
        <translation>已有计划在执行：其修正请用“执行修正…”。</translation>
    </message>
    <message>
        <source>Make a plan first.</source>
        <translation>请先生成计划。</translation>
    </message>
    <message>
        <source>The plan changes nothing.</source>
        <translation>该计划不需要任何调整。</translation>
    </message>
    <message>
        <source>The plan was made {age} h ago (on the plant&apos;s clock): make a new one first.</source>
        <translation>该计划生成于 {age} 小时前（按热网时钟），请先重新生成。</translation>
    </message>
    <message>
        <source>Undoing the plan</source>
        <translation>撤销预热计划</translation>
    </message>
    <message>
        <source>Nothing applied to undo.</source>
        <translation>没有已执行的调整可撤销。</translation>
    </message>
    <message>
        <source>Applying the revision</source>
        <translation>执行计划修正</translation>
    </message>
    <message>
        <source>No revision of the plan is proposed.</source>
        <translation>当前没有待执行的计划修正。</translation>
    </message>
    <message>
        <source>{station} ({id}): curve shift {old} → {new} K</source>
        <translation>{station} ({id})：气候补偿曲线平移 {old} → {new} K</translation>
    </message>
    <message>
        <source>Apply the pre-heating plan</source>
        <translation>执行预热计划</translation>
    </message>
    <message>
        <source>These {n} writes will be sent now, each read back and journalled:</source>
        <translation>以下 {n} 项写入将立即下发，逐项回读并记入日志：</translation>
    </message>
    <message>
        <source>Not sent: {why}</source>
        <translation>不下发：{why}</translation>
    </message>
    <message>
        <source>Undo the pre-heating plan</source>
        <translation>撤销预热计划</translation>
    </message>
    <message>
        <source>These {n} writes put back the values before the plan:</source>
        <translation>以下 {n} 项写入恢复计划执行前的数值：</translation>
    </message>
    <message>
        <source>Sending {n} writes…</source>
        <translation>正在下发 {n} 项写入…</translation>
    </message>
    <message>
        <source>{done} of {n} writes done.</source>
        <translation>{n} 项写入已完成 {done} 项。</translation>
    </message>
    <message>
        <source>Not done: {list}</source>
        <translation>未完成：{list}</translation>
    </message>
    <message>
        <source>Plan in force checked {time}: every station as the plan predicted.</source>
        <translation>执行中的计划已于 {time} 核对：各站均与计划预测相符。</translation>
    </message>
    <message>
        <source>no revised plan: {reason}</source>
        <translation>未生成修正计划：{reason}</translation>
    </message>
    <message>
        <source>the revised plan changes no curve shift that can be sent; it is in force.</source>
        <translation>修正计划没有可下发的曲线平移变化，已生效。</translation>
    </message>
    <message>
        <source>the revised plan changes {n} curve shifts: Apply revision…</source>
        <translation>修正计划改变 {n} 个站的曲线平移：执行修正…</translation>
    </message>
    <message>
        <source>Apply the revised pre-heating plan</source>
        <translation>执行修正后的预热计划</translation>
    </message>
    <message>
        <source>{why}. These {n} writes change what the plan in force wrote; they will be sent now, each read back and journalled:</source>
        <translation>{why}。以下 {n} 项写入修改执行中计划已写入的数值，将立即下发，逐项回读并记入日志：</translation>
    </message>
    <message>
        <source>Make plan</source>
        <translation>生成计划</translation>
    </message>
    <message>
        <source>Apply plan…</source>
        <translation>执行计划…</translation>
    </message>
    <message>
        <source>Undo plan…</source>
        <translation>撤销计划…</translation>
    </message>
    <message>
        <source>Apply revision…</source>
        <translation>执行修正…</translation>
    </message>
</context>
<context>
    <name>PreheatPlanView</name>
    <message>
        <source>In force: plan made {made} ({why}), under watch</source>
        <translation>执行中：计划生成于 {made}（{why}），持续监视中</translation>
    </message>
    <message>
        <source>not needed</source>
        <translation>无需调整</translation>
    </message>
    <message>
        <source>planned</source>
        <translation>已计划</translation>
    </message>
    <message>
        <source>cannot be kept: not even the largest shift</source>
        <translation>无法保证：最大平移也不够</translation>
    </message>
    <message>
        <source>cannot be kept: plant at capacity</source>
        <translation>无法保证：热源已满负荷</translation>
    </message>
    <message>
        <source>no model yet (too little history)</source>
        <translation>尚无模型（历史数据不足）</translation>
    </message>
    <message>
        <source>{status}, incl. +{reserve} K booster reserve</source>
        <translation>{status}（含增压泵备用裕量 +{reserve} K）</translation>
    </message>
    <message>
        <source>+{shift} K: +{need} K for the forecast cold and a +{reserve} K contingency reserve.</source>
        <translation>+{shift} K：其中 +{need} K 应对预报降温，+{reserve} K 为备用裕量。</translation>
    </message>
    <message>
        <source>+{shift} K, all of it a contingency reserve: the forecast alone needs no shift.</source>
        <translation>+{shift} K 全部为备用裕量：仅按预报，本站无需平移。</translation>
    </message>
    <message>
        <source>{district} is fed through a booster pump: if the pump trips, the heat stored in the rooms beforehand keeps them at or above {limit} °C longer. The reserve costs {gj} GJ of this station&apos;s extra heat.</source>
        <translation>{district}由增压泵站供热：一旦增压泵跳停，房间预先蓄存的热量能让室温更长时间保持不低于 {limit} °C。该备用裕量耗热 {gj} GJ（计入本站额外热量）。</translation>
    </message>
    <message>
        <source>Assumes the booster pump of {district} keeps running: no forecast shows a trip, and a trip would take these rooms lower.</source>
        <translation>假定{district}增压泵站持续运行：预报无法预见跳停，一旦跳停，这些房间的温度会更低。</translation>
    </message>
    <message>
        <source>capacity not known</source>
        <translation>容量未知</translation>
    </message>
    <message>
        <source>OVER capacity: peak {peak} of {cap} MW</source>
        <translation>超出容量：峰值 {peak} / {cap} MW</translation>
    </message>
    <message>
        <source>within capacity: peak {peak} of {cap} MW</source>
        <translation>容量之内：峰值 {peak} / {cap} MW</translation>
    </message>
    <message>
        <source>Plant supply raises: none</source>
        <translation>热源提温：无</translation>
    </message>
    <message>
        <source>Plant supply raises ({n}) — the console does not write these: ask the plants for them</source>
        <translation>热源提温（{n} 条）— 本系统不下发，请通知热源执行</translation>
    </message>
    <message>
        <source>{plant} · {trunk}: supply back to its curve (was {raise_k} K)</source>
        <translation>{plant} · {trunk}：出口供水温度恢复按曲线运行（原提高 {raise_k} K）</translation>
    </message>
    <message>
        <source>{plant} · {trunk}: supply {raise_k} K above its curve from {start} until {until} ({capacity})</source>
        <translation>{plant} · {trunk}：出口供水温度比曲线提高 {raise_k} K，{start} 起至 {until}（{capacity}）</translation>
    </message>
    <message>
        <source>No plan yet: make one from the weather forecast.</source>
        <translation>尚无计划：请根据天气预报生成。</translation>
    </message>
    <message>
        <source>Plan made {made} from the forecast issued {issued}: {n} stations to shift, {short} cannot be kept, {gj} GJ extra heat.</source>
        <translation>计划生成于 {made}，依据 {issued} 发布的预报：{n} 个站需平移曲线，{short} 个站无法保证，额外热量 {gj} GJ。</translation>
    </message>
    <message>
        <source>{mark} {n} of them carry a contingency reserve against a booster pump trip: {gj} GJ of the extra heat.</source>
        <translation>{mark} 其中 {n} 个站按增压泵站跳停预案留有备用裕量：占额外热量 {gj} GJ。</translation>
    </message>
    <message>
        <source>{plant}: peak {peak} of {cap} MW</source>
        <translation>{plant}：峰值 {peak} / {cap} MW</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>热力站</translation>
    </message>
    <message>
        <source>District</source>
        <translation>区域</translation>
    </message>
    <message>
        <source>Shift (K)</source>
        <translation>平移 (K)</translation>
    </message>
    <message>
        <source>Apply by</source>
        <translation>最迟执行</translation>
    </message>
    <message>
        <source>Undo from</source>
        <translation>可撤销自</translation>
    </message>
    <message>
        <source>Coldest low without (°C)</source>
        <translation>最冷房间最低温（不调整, °C）</translation>
    </message>
    <message>
        <source>Coldest low with (°C)</source>
        <translation>最冷房间最低温（按计划, °C）</translation>
    </message>
    <message>
        <source>Extra heat (GJ)</source>
        <translation>额外热量 (GJ)</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Plant</source>
        <translation>热源</translation>
    </message>
    <message>
        <source>Trunk</source>
        <translation>干线</translation>
    </message>
    <message>
        <source>Raise (K)</source>
        <translation>提温 (K)</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>开始</translation>
    </message>
    <message>
        <source>Back to curve</source>
        <translation>恢复曲线</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>容量</translation>
    </message>
    <message>
        <source>coldest room, no plan</source>
        <translation>最冷房间，不调整</translation>
    </message>
    <message>
        <source>coldest room, with the plan</source>
        <translation>最冷房间，按计划</translation>
    </message>
    <message>
        <source>°C</source>
        <translation>°C</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
</context>
<context>
    <name>PreheatWords</name>
    <message>
        <source>Outdoor forecast issued {time} ({origin}), {age} h old, {ahead} h ahead</source>
        <translation>室外气温预报发布于 {time}（{origin}），已发布 {age} 小时，覆盖未来 {ahead} 小时</translation>
    </message>
    <message>
        <source>the outdoor forecast issued {time} ({origin}) has run out</source>
        <translation>发布于 {time} 的室外气温预报（{origin}）已到期</translation>
    </message>
    <message>
        <source>the outdoor forecast issued {time} ({origin}) is {age} h old (stale after {limit} h)</source>
        <translation>发布于 {time} 的室外气温预报（{origin}）已发布 {age} 小时（超过 {limit} 小时即过期）</translation>
    </message>
    <message>
        <source>the outdoor forecast cannot be used: {problem}</source>
        <translation>室外气温预报无法使用：{problem}</translation>
    </message>
    <message>
        <source>no outdoor forecast: no forecast folder or URL is configured (the network file&apos;s forecast: section)</source>
        <translation>没有室外气温预报：未配置预报文件夹或网址（管网配置文件中的预报设置）</translation>
    </message>
    <message>
        <source>no outdoor forecast: no .json or .csv forecast file in {folder}</source>
        <translation>没有室外气温预报：{folder} 中没有 JSON 或 CSV 预报文件</translation>
    </message>
    <message>
        <source>no outdoor forecast: the servers have published none yet</source>
        <translation>没有室外气温预报：服务器尚未发布预报</translation>
    </message>
    <message>
        <source>no cold ahead: every station keeps its coldest room at or above {limit} °C without a change — nothing to apply</source>
        <translation>未来无寒潮：各站最冷房间不作调整即可保持在 {limit} °C 及以上，无需执行</translation>
    </message>
    <message>
        <source>no station has a fitted room model yet (too little history): nothing can be planned</source>
        <translation>尚无热力站拟合出室温模型（历史数据不足）：无法制定计划</translation>
    </message>
    <message>
        <source>{n} of {total} stations need a curve shift</source>
        <translation>{total} 个热力站中有 {n} 个需要曲线平移</translation>
    </message>
    <message>
        <source>{n} without a fitted model</source>
        <translation>{n} 个站尚无拟合模型</translation>
    </message>
    <message>
        <source>first plan</source>
        <translation>首次计划</translation>
    </message>
    <message>
        <source>revision: a station&apos;s coldest room fell below the plan</source>
        <translation>修正：有站最冷房间低于计划</translation>
    </message>
    <message>
        <source>revision every {hours} h with the latest forecast</source>
        <translation>按最新预报每 {hours} 小时修正</translation>
    </message>
    <message>
        <source>revision made on request</source>
        <translation>应要求修正</translation>
    </message>
    <message>
        <source>Plan revision due: {station} coldest room {below} K below the plan ({actual} vs {predicted} °C)</source>
        <translation>需修正计划：{station} 最冷房间比计划低 {below} K（实测 {actual}，计划 {predicted} °C）</translation>
    </message>
    <message>
        <source>and {n} more stations below the plan</source>
        <translation>另有 {n} 个站低于计划</translation>
    </message>
    <message>
        <source>Plan revision due: the plan in force is {age} h old (revised every {hours} h with the latest forecast)</source>
        <translation>需修正计划：执行中的计划已生成 {age} 小时（每 {hours} 小时按最新预报修正）</translation>
    </message>
    <message>
        <source>Plan revision asked for</source>
        <translation>已要求修正计划</translation>
    </message>
    <message>
        <source>Pre-heating no longer needed: {n} stations past their undo hour ({stations}), back to their curve shift before the plan</source>
        <translation>已无需预热：{n} 个站已过可撤销时间（{stations}），恢复计划前的曲线平移</translation>
    </message>
    <message>
        <source>{n} plant supply raises past their end ({trunks}), back to the curve</source>
        <translation>{n} 条热源提温已到结束时间（{trunks}），恢复按曲线运行</translation>
    </message>
    <message>
        <source>{n} of them with a contingency reserve against a booster pump trip ({gj} GJ of {total} GJ extra heat)</source>
        <translation>其中 {n} 个站按增压泵站跳停预案留有备用裕量（额外热量 {total} GJ 中占 {gj} GJ）</translation>
    </message>
</context>
<context>
    <name>Priority</name>
    <message>
        <source>CRITICAL</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>HIGH</source>
        <translation>高</translation>
    </message>
    <message>
        <source>MEDIUM</source>
        <translation>中</translation>
    </message>
    <message>
        <source>LOW</source>
        <translation>低</translation>
    </message>
    <message>
        <source>INFO</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>critical</source>
        <translation>紧急</translation>
    </message>
    <message>
        <source>high</source>
        <translation>高</translation>
    </message>
    <message>
        <source>medium</source>
        <translation>中</translation>
    </message>
    <message>
        <source>low</source>
        <translation>低</translation>
    </message>
    <message>
        <source>info</source>
        <translation>提示</translation>
    </message>
</context>
<context>
    <name>ProcessDiagram</name>
    <message>
        <source>{point}: {value} {unit} ({quality}) — click for trend</source>
        <translation>{point}：{value} {unit}（{quality}）— 点击查看趋势</translation>
    </message>
    <message>
        <source>PRIMARY  (from trunk line)</source>
        <translation>一次侧（来自热网干线）</translation>
    </message>
    <message>
        <source>SECONDARY  (to buildings)</source>
        <translation>二次侧（至用户建筑）</translation>
    </message>
    <message>
        <source>valve position</source>
        <translation>调节阀开度</translation>
    </message>
    <message>
        <source>make-up water</source>
        <translation>补水</translation>
    </message>
    <message>
        <source>heat exchanger</source>
        <translation>换热器</translation>
    </message>
    <message>
        <source>M</source>
        <comment>heat meter symbol</comment>
        <translation>表</translation>
    </message>
    <message>
        <source>opening ▲</source>
        <translation>开阀 ▲</translation>
    </message>
    <message>
        <source>closing ▼</source>
        <translation>关阀 ▼</translation>
    </message>
    <message>
        <source>state unknown</source>
        <translation>状态未知</translation>
    </message>
    <message>
        <source>FAULT</source>
        <translation>故障</translation>
    </message>
    <message>
        <source>running</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Pump {n} FAULT</source>
        <translation>{n}# 泵 故障</translation>
    </message>
    <message>
        <source>Pump {n}  {state}</source>
        <translation>{n}# 泵  {state}</translation>
    </message>
    <message>
        <source>buildings</source>
        <translation>用户建筑</translation>
    </message>
    <message>
        <source>{n} rooms</source>
        <translation>{n} 个房间</translation>
    </message>
    <message>
        <source>no room sensors</source>
        <translation>无室温测点</translation>
    </message>
    <message>
        <source>room min</source>
        <translation>最低室温</translation>
    </message>
    <message>
        <source>room mean</source>
        <translation>平均室温</translation>
    </message>
    <message>
        <source>no alarm yet</source>
        <translation>尚未报警</translation>
    </message>
    <message>
        <source>setpoint {value}</source>
        <translation>设定 {value}</translation>
    </message>
</context>
<context>
    <name>Quality</name>
    <message>
        <source>SENSOR</source>
        <translation>传感器</translation>
    </message>
    <message>
        <source>COMM</source>
        <translation>通讯</translation>
    </message>
    <message>
        <source>WRONG DEV</source>
        <translation>设备不符</translation>
    </message>
    <message>
        <source>good</source>
        <translation>正常</translation>
    </message>
    <message>
        <source>stale</source>
        <translation>数据过期</translation>
    </message>
    <message>
        <source>sensor fault</source>
        <translation>传感器故障</translation>
    </message>
    <message>
        <source>communication failed</source>
        <translation>通讯故障</translation>
    </message>
    <message>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <source>wrong device answering (identity mismatch)</source>
        <translation>应答设备不符（身份校验失败）</translation>
    </message>
</context>
<context>
    <name>RemoteDoorway</name>
    <message>
        <source>trend history from the server</source>
        <translation>从服务器获取历史趋势</translation>
    </message>
    <message>
        <source>trend history of {key}: {error}</source>
        <translation>{key} 的历史趋势：{error}</translation>
    </message>
    <message>
        <source>journal</source>
        <translation>日志</translation>
    </message>
    <message>
        <source>journal query failed: {error}</source>
        <translation>日志查询失败：{error}</translation>
    </message>
    <message>
        <source>export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>handover report</source>
        <translation>交接班报告</translation>
    </message>
    <message>
        <source>no server is connected yet</source>
        <translation>尚未连接任何服务器</translation>
    </message>
    <message>
        <source>handover report failed: {error}</source>
        <translation>交接班报告生成失败：{error}</translation>
    </message>
    <message>
        <source>export failed: {error}</source>
        <translation>导出失败：{error}</translation>
    </message>
    <message>
        <source>handover report written: {file}</source>
        <translation>交接班报告已写入：{file}</translation>
    </message>
    <message>
        <source>exported {n} records to {file}</source>
        <translation>已导出 {n} 条记录到 {file}</translation>
    </message>
    <message>
        <source>from the shared journal</source>
        <translation>来自共享日志</translation>
    </message>
</context>
<context>
    <name>RoomGrid</name>
    <message>
        <source>{room}: sensor offline ({quality})</source>
        <translation>{room}：传感器离线（{quality}）</translation>
    </message>
    <message>
        <source>below {limit} °C — critical</source>
        <translation>低于 {limit} °C — 紧急</translation>
    </message>
    <message>
        <source>below {limit} °C — alarm</source>
        <translation>低于 {limit} °C — 报警</translation>
    </message>
    <message>
        <source>above 24 °C — too warm</source>
        <translation>高于 24 °C — 过热</translation>
    </message>
    <message>
        <source>(stale)</source>
        <translation>（数据过期）</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>离线</translation>
    </message>
</context>
<context>
    <name>Rule</name>
    <message>
        <source>room temperature low</source>
        <translation>室温低</translation>
    </message>
    <message>
        <source>room temperature below legal floor</source>
        <translation>室温低于法定最低温度</translation>
    </message>
    <message>
        <source>secondary supply above setpoint</source>
        <translation>二次供水温度高于设定值</translation>
    </message>
    <message>
        <source>secondary supply below setpoint</source>
        <translation>二次供水温度低于设定值</translation>
    </message>
    <message>
        <source>secondary pressure low</source>
        <translation>二次压力低</translation>
    </message>
    <message>
        <source>secondary pressure high</source>
        <translation>二次压力高</translation>
    </message>
    <message>
        <source>primary differential pressure low</source>
        <translation>一次压差低</translation>
    </message>
    <message>
        <source>make-up flow high (leak?)</source>
        <translation>补水流量高（疑似泄漏）</translation>
    </message>
    <message>
        <source>pump 1 fault</source>
        <translation>1# 泵故障</translation>
    </message>
    <message>
        <source>pump 2 fault</source>
        <translation>2# 泵故障</translation>
    </message>
    <message>
        <source>power failure</source>
        <translation>停电</translation>
    </message>
    <message>
        <source>sensor fault</source>
        <translation>传感器故障</translation>
    </message>
    <message>
        <source>station in local control</source>
        <translation>热力站处于就地控制</translation>
    </message>
    <message>
        <source>communication failed</source>
        <translation>通讯故障</translation>
    </message>
    <message>
        <source>data stale (heartbeat frozen)</source>
        <translation>数据过期（心跳停止）</translation>
    </message>
    <message>
        <source>suspected leak</source>
        <translation>疑似泄漏</translation>
    </message>
</context>
<context>
    <name>ServerReason</name>
    <message>
        <source>malformed request: {why}</source>
        <translation>请求格式错误：{why}</translation>
    </message>
    <message>
        <source>a request needs a &apos;verb&apos;</source>
        <translation>请求缺少“verb”（操作）</translation>
    </message>
    <message>
        <source>&apos;args&apos; must be an object</source>
        <translation>“args”必须是对象</translation>
    </message>
    <message>
        <source>unknown request &apos;{verb}&apos;</source>
        <translation>未知请求“{verb}”</translation>
    </message>
    <message>
        <source>no alarm keys given</source>
        <translation>未指定报警</translation>
    </message>
    <message>
        <source>{n} alarm keys in one request (at most {most})</source>
        <translation>一次请求包含 {n} 个报警（最多 {most} 个）</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; must be a non-empty text</source>
        <translation>“{name}”不能为空</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is {n} characters long (at most {most})</source>
        <translation>“{name}”长 {n} 个字符（最多 {most} 个）</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; must be a finite number</source>
        <translation>“{name}”必须是有效数值</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; must be a whole number</source>
        <translation>“{name}”必须是整数</translation>
    </message>
    <message>
        <source>user &apos;{user}&apos; is not known to this server</source>
        <translation>本服务器没有用户“{user}”</translation>
    </message>
    <message>
        <source>a server account does not issue console commands</source>
        <translation>服务器账号不能下发操作命令</translation>
    </message>
    <message>
        <source>refused: {why}</source>
        <translation>被拒绝：{why}</translation>
    </message>
    <message>
        <source>needs the {needed} role; you are {role}</source>
        <translation>需要{needed}角色；您是{role}</translation>
    </message>
    <message>
        <source>not an alarm key: {why}</source>
        <translation>不是报警标识：{why}</translation>
    </message>
    <message>
        <source>not this server&apos;s alarms: {keys}</source>
        <translation>不是本服务器的报警：{keys}</translation>
    </message>
    <message>
        <source>no such alarm: {key}</source>
        <translation>没有此报警：{key}</translation>
    </message>
    <message>
        <source>a shelve lasts more than 0 s and at most 7 days</source>
        <translation>搁置时长须大于 0 秒且不超过 7 天</translation>
    </message>
    <message>
        <source>station &apos;{station}&apos; is not served by this server</source>
        <translation>热力站“{station}”不由本服务器管理</translation>
    </message>
    <message>
        <source>{station}.{point} is not a writable point</source>
        <translation>{station}.{point} 不是可写入的点</translation>
    </message>
    <message>
        <source>{station}/{point}: no such point on this server</source>
        <translation>{station}/{point}：本服务器没有此点</translation>
    </message>
    <message>
        <source>this server keeps no journal</source>
        <translation>本服务器不保存日志</translation>
    </message>
    <message>
        <source>this server keeps no journal (the shared journal did not answer: {why})</source>
        <translation>本服务器不保存日志（共享日志无响应：{why}）</translation>
    </message>
    <message>
        <source>a handover period ends after it begins</source>
        <translation>交接班时段的结束时间必须晚于开始时间</translation>
    </message>
    <message>
        <source>an export is csv or json</source>
        <translation>导出格式只能是 csv 或 json</translation>
    </message>
    <message>
        <source>journal filter: {why}</source>
        <translation>日志筛选条件：{why}</translation>
    </message>
    <message>
        <source>handover report: {why}</source>
        <translation>交接班报告：{why}</translation>
    </message>
    <message>
        <source>journal export: {why}</source>
        <translation>日志导出：{why}</translation>
    </message>
    <message>
        <source>no such file (gone after 10 minutes, or not yours)</source>
        <translation>没有此文件（10 分钟后删除，或不属于您）</translation>
    </message>
    <message>
        <source>file part refused: {why}</source>
        <translation>文件分段被拒绝：{why}</translation>
    </message>
    <message>
        <source>answered already (too large to repeat)</source>
        <translation>已应答（内容过大，不再重发）</translation>
    </message>
    <message>
        <source>the server failed: {why}</source>
        <translation>服务器出错：{why}</translation>
    </message>
    <message>
        <source>no reply from the server — outcome unknown; check before trying again</source>
        <translation>服务器无应答 — 结果未知；请先核实再重试</translation>
    </message>
    <message>
        <source>the link to the broker was lost — outcome unknown, not re-sent</source>
        <translation>与消息服务器的连接中断 — 结果未知，未重发</translation>
    </message>
    <message>
        <source>no link to the broker — not sent</source>
        <translation>未连接消息服务器 — 未发送</translation>
    </message>
    <message>
        <source>not sent ({why})</source>
        <translation>未发送（{why}）</translation>
    </message>
    <message>
        <source>the console closed before the answer came</source>
        <translation>应答到达前操作台已关闭</translation>
    </message>
    <message>
        <source>the server&apos;s answer offers no file</source>
        <translation>服务器的应答中没有文件</translation>
    </message>
    <message>
        <source>the server sent the part at {offset}</source>
        <translation>服务器发送了位置 {offset} 的分段</translation>
    </message>
    <message>
        <source>{name}: {got} of {size} bytes arrived, or they differ</source>
        <translation>{name}：收到 {got} / {size} 字节，或内容不一致</translation>
    </message>
    <message>
        <source>the server&apos;s answer was unreadable: {why}</source>
        <translation>无法读取服务器的应答：{why}</translation>
    </message>
    <message>
        <source>broker {broker}: refused the login of &apos;{user}&apos;: wrong name or password</source>
        <translation>消息服务器 {broker}：拒绝用户“{user}”登录：用户名或密码错误</translation>
    </message>
    <message>
        <source>broker {broker}: cannot connect: {why} (is the broker running and the address right?)</source>
        <translation>消息服务器 {broker}：无法连接：{why}（消息服务器是否在运行、地址是否正确？）</translation>
    </message>
</context>
<context>
    <name>ServerStatus</name>
    <message>
        <source>shared journal: connected, {n} events waiting</source>
        <translation>共享日志：已连接，{n} 条记录待发送</translation>
    </message>
    <message>
        <source>shared journal: connecting, {n} events waiting</source>
        <translation>共享日志：正在连接，{n} 条记录待发送</translation>
    </message>
    <message>
        <source>shared journal: {state}, {n} events waiting in the local journal</source>
        <translation>共享日志：{state}，{n} 条记录暂存在本地日志</translation>
    </message>
    <message>
        <source> since {time}</source>
        <translation>，自 {time} 起</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>等待本地日志</translation>
    </message>
    <message>
        <source>retrying</source>
        <translation>正在重试</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>被拒绝</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>UNACK</source>
        <translation>未确认</translation>
    </message>
    <message>
        <source>ACK</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>RTN_UNACK</source>
        <translation>已恢复，未确认</translation>
    </message>
</context>
<context>
    <name>SetpointDialog</name>
    <message>
        <source>{point} is read-only.</source>
        <translation>{point} 为只读。</translation>
    </message>
    <message>
        <source>No allowed range is configured for {point}; the console will not guess one.</source>
        <translation>{point} 未配置允许范围；控制台不会自行猜测。</translation>
    </message>
    <message>
        <source>The station is under LOCAL control: a field engineer holds it on site. The controller refuses remote writes until control is handed back to SCADA.</source>
        <translation>热力站处于就地控制：现场工程师正在站内操作。控制权交还远程（SCADA）之前，控制器拒绝远程写入。</translation>
    </message>
    <message>
        <source>The station&apos;s data is not good ({quality}): the present value is not known, so a change could not be checked or confirmed. Wait until the station reports good data.</source>
        <translation>热力站数据不正常（{quality}）：当前值未知，无法核对或确认修改。请等待热力站恢复正常数据。</translation>
    </message>
    <message>
        <source>Change {point}</source>
        <translation>修改 {point}</translation>
    </message>
    <message>
        <source>Current value</source>
        <translation>当前值</translation>
    </message>
    <message>
        <source>Allowed range</source>
        <translation>允许范围</translation>
    </message>
    <message>
        <source>New value ({unit})</source>
        <translation>新值（{unit}）</translation>
    </message>
    <message>
        <source>New value</source>
        <translation>新值</translation>
    </message>
    <message>
        <source>not configured</source>
        <translation>未配置</translation>
    </message>
    <message>
        <source>The write is sent as one register (FC06), read back and journalled.</source>
        <translation>写入以单个寄存器（FC06）下发，随后回读并记入日志。</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>下发</translation>
    </message>
    <message>
        <source>“{text}” is not a number.</source>
        <translation>“{text}” 不是数字。</translation>
    </message>
    <message>
        <source>Enter a finite number.</source>
        <translation>请输入有效数值。</translation>
    </message>
    <message>
        <source>{value} is outside the allowed range {low} … {high}; the controller would reject it.</source>
        <translation>{value} 超出允许范围 {low} … {high}；控制器会拒绝该值。</translation>
    </message>
    <message>
        <source>This is the current value; nothing to send.</source>
        <translation>与当前值相同，无需下发。</translation>
    </message>
</context>
<context>
    <name>ShelveDialog</name>
    <message>
        <source>15 min</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>8 h (a shift)</source>
        <translation>8 小时（一个班）</translation>
    </message>
    <message>
        <source>Until it clears</source>
        <translation>直到报警恢复</translation>
    </message>
    <message>
        <source>Shelve alarms</source>
        <translation>搁置报警</translation>
    </message>
    <message>
        <source>1 alarm</source>
        <translation>1 条报警</translation>
    </message>
    <message>
        <source>{n} alarms</source>
        <translation>{n} 条报警</translation>
    </message>
    <message>
        <source>Shelve {what}. Shelved alarms are still evaluated and journalled.</source>
        <translation>搁置 {what}。搁置的报警仍会被判断并记入日志。</translation>
    </message>
    <message>
        <source>For</source>
        <translation>时长</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>Required, e.g. sensor known faulty, ticket 1234</source>
        <translation>必填，例如：传感器已知故障，工单 1234</translation>
    </message>
    <message>
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
</context>
<context>
    <name>StationLayer</name>
    <message>
        <source>+{n} more in the alarm list</source>
        <translation>另有 {n} 个，见报警列表</translation>
    </message>
</context>
<context>
    <name>StationView</name>
    <message>
        <source>T3 supply vs setpoint band</source>
        <translation>T3 二次供水温度与设定范围</translation>
    </message>
    <message>
        <source>P3 secondary pressure</source>
        <translation>P3 二次供水压力</translation>
    </message>
    <message>
        <source>Room temperature, min</source>
        <translation>最低室温</translation>
    </message>
    <message>
        <source>Room temperature, mean</source>
        <translation>平均室温</translation>
    </message>
    <message>
        <source>KEY VALUES</source>
        <translation>关键参数</translation>
    </message>
    <message>
        <source>SETPOINTS</source>
        <translation>设定值</translation>
    </message>
    <message>
        <source>Change…</source>
        <translation>修改…</translation>
    </message>
    <message>
        <source>Open a station to change its setpoints.</source>
        <translation>请先打开一个热力站，再修改其设定值。</translation>
    </message>
    <message>
        <source>COMM  good</source>
        <translation>通讯  正常</translation>
    </message>
    <message>
        <source>COMM  {quality}</source>
        <translation>通讯  {quality}</translation>
    </message>
    <message>
        <source>LOCAL control — field engineer on site</source>
        <translation>就地控制 — 工程师在现场</translation>
    </message>
    <message>
        <source>REMOTE (SCADA)</source>
        <translation>远程控制（SCADA）</translation>
    </message>
    <message>
        <source>MODE  {mode}</source>
        <translation>模式  {mode}</translation>
    </message>
    <message>
        <source>Change…: not allowed — {reason}</source>
        <translation>修改…：无权操作 — {reason}</translation>
    </message>
    <message>
        <source>Station in LOCAL control: writes are refused</source>
        <translation>热力站处于就地控制：拒绝写入</translation>
    </message>
    <message>
        <source>{n} below 18 °C</source>
        <translation>{n} 间低于 18 °C</translation>
    </message>
    <message>
        <source>no alarm yet</source>
        <translation>尚未报警</translation>
    </message>
    <message>
        <source>{n} without alarm yet</source>
        <translation>{n} 间尚未报警</translation>
    </message>
    <message>
        <source>ROOMS   {n} sensors · {cold} · {b16} below 16 °C · {off} offline</source>
        <translation>房间   {n} 个测点 · {cold} · {b16} 间低于 16 °C · {off} 个离线</translation>
    </message>
</context>
<context>
    <name>StoreStatus</name>
    <message>
        <source>history: writing ({committed} samples committed)</source>
        <translation>历史记录：正在写入（已提交 {committed} 个采样）</translation>
    </message>
    <message>
        <source>history: closed ({pending} samples not written)</source>
        <translation>历史记录：已关闭（{pending} 个采样未写入）</translation>
    </message>
    <message>
        <source>history: PAUSED — {reason}; trends have a gap ({dropped} samples dropped)</source>
        <translation>历史记录：已暂停 — {reason}；趋势有断档（已丢弃 {dropped} 个采样）</translation>
    </message>
    <message>
        <source>history: buffering {pending} samples in memory — {reason}</source>
        <translation>历史记录：暂存 {pending} 个采样在内存中 — {reason}</translation>
    </message>
    <message>
        <source>history: buffering {pending} samples in memory — {reason}; {dropped} dropped</source>
        <translation>历史记录：暂存 {pending} 个采样在内存中 — {reason}；已丢弃 {dropped} 个</translation>
    </message>
    <message>
        <source>history: failed {pending} samples in memory — {reason}</source>
        <translation>历史记录：写入失败，{pending} 个采样在内存中 — {reason}</translation>
    </message>
    <message>
        <source>history: failed {pending} samples in memory — {reason}; {dropped} dropped</source>
        <translation>历史记录：写入失败，{pending} 个采样在内存中 — {reason}；已丢弃 {dropped} 个</translation>
    </message>
    <message>
        <source>disk short: {free} MB free, history needs {need} MB</source>
        <translation>磁盘空间不足：剩余 {free} MB，历史记录需要 {need} MB</translation>
    </message>
    <message>
        <source>disk full: {error}</source>
        <translation>磁盘已满：{error}</translation>
    </message>
    <message>
        <source>buffer full</source>
        <translation>缓存已满</translation>
    </message>
    <message>
        <source>journal: writing ({committed} committed)</source>
        <translation>日志：正在写入（已提交 {committed} 条）</translation>
    </message>
    <message>
        <source>journal: writing ({committed} committed) — DISK RESERVE {note}</source>
        <translation>日志：正在写入（已提交 {committed} 条）— 磁盘预留空间{note}</translation>
    </message>
    <message>
        <source>journal: closed ({pending} not written)</source>
        <translation>日志：已关闭（{pending} 条未写入）</translation>
    </message>
    <message>
        <source>journal: buffering {pending} events in memory — {reason}</source>
        <translation>日志：暂存 {pending} 条记录在内存中 — {reason}</translation>
    </message>
    <message>
        <source>journal: buffering {pending} events in memory — {reason}; {dropped} dropped</source>
        <translation>日志：暂存 {pending} 条记录在内存中 — {reason}；已丢弃 {dropped} 条</translation>
    </message>
    <message>
        <source>journal: failed {pending} events in memory — {reason}</source>
        <translation>日志：写入失败，{pending} 条记录在内存中 — {reason}</translation>
    </message>
    <message>
        <source>journal: failed {pending} events in memory — {reason}; {dropped} dropped</source>
        <translation>日志：写入失败，{pending} 条记录在内存中 — {reason}；已丢弃 {dropped} 条</translation>
    </message>
    <message>
        <source>not held</source>
        <translation>未建立</translation>
    </message>
    <message>
        <source>released: disk full</source>
        <translation>已释放：磁盘已满</translation>
    </message>
    <message>
        <source>not held: {free} MB free, it needs {size} MB + headroom</source>
        <translation>未建立：剩余 {free} MB，需要 {size} MB 及余量</translation>
    </message>
    <message>
        <source>not held: {error}</source>
        <translation>未建立：{error}</translation>
    </message>
    <message>
        <source>the journal cannot write: {reason}</source>
        <translation>日志无法写入：{reason}</translation>
    </message>
    <message>
        <source>the journal&apos;s disk reserve is {note}</source>
        <translation>日志的磁盘预留空间{note}</translation>
    </message>
    <message>
        <source>journal write failed ({reason}); buffering events in memory</source>
        <translation>日志写入失败（{reason}）；记录暂存在内存中</translation>
    </message>
    <message>
        <source>journal writable again after {seconds} s ({reason}); writing {pending} buffered events</source>
        <translation>日志在 {seconds} 秒后恢复可写（{reason}）；正在写入暂存的 {pending} 条记录</translation>
    </message>
    <message>
        <source>journal buffer full ({max} events): new events are being dropped and counted until the journal is writable again</source>
        <translation>日志缓存已满（{max} 条）：新记录将被丢弃并计数，直到日志恢复可写</translation>
    </message>
    <message>
        <source>journal dropped {n} events while its buffer was full ({kinds})</source>
        <translation>日志缓存已满期间丢弃了 {n} 条记录（{kinds}）</translation>
    </message>
    <message>
        <source>journal disk full ({reason}): released its {freed} MB disk reserve to keep committing; free disk space</source>
        <translation>日志磁盘已满（{reason}）：已释放 {freed} MB 磁盘预留空间以继续写入；请清理磁盘空间</translation>
    </message>
    <message>
        <source>journal disk reserve {note}</source>
        <translation>日志磁盘预留空间{note}</translation>
    </message>
    <message>
        <source>journal disk reserve restored ({size} MB) after {seconds} s</source>
        <translation>日志磁盘预留空间已恢复（{size} MB），历时 {seconds} 秒</translation>
    </message>
    <message>
        <source>{priority} ALARM {state}: {text}</source>
        <translation>{priority}报警 {state}：{text}</translation>
    </message>
</context>
<context>
    <name>TrendForecast</name>
    <message>
        <source>Forecast 48 h</source>
        <translation>预测 48 小时</translation>
    </message>
    <message>
        <source>A station&apos;s rooms (mean, coldest) over the past day and the next 48 h with a 90 % band, on the plant&apos;s clock; press again for the trend</source>
        <translation>热力站室温（平均、最冷）：过去一天与未来 48 小时，含 90% 区间，按热网时钟；再按一次返回趋势</translation>
    </message>
    <message>
        <source>Room forecast: not configured</source>
        <translation>室温预测：未配置</translation>
    </message>
</context>
<context>
    <name>TrendPlot</name>
    <message>
        <source>15 min</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <source>1 h</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <source>8 h</source>
        <translation>8 小时</translation>
    </message>
    <message>
        <source>24 h</source>
        <translation>24 小时</translation>
    </message>
    <message>
        <source>7 d</source>
        <translation>7 天</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>曲线</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Unit</source>
        <translation>单位</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>数据质量</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>采样时间</translation>
    </message>
    <message>
        <source>ddd d</source>
        <comment>date axis: weekday, day</comment>
        <translation>d日 ddd</translation>
    </message>
    <message>
        <source>MMM</source>
        <comment>date axis: month</comment>
        <translation>MMM</translation>
    </message>
    <message>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <source>Keep the newest data in view</source>
        <translation>始终显示最新数据</translation>
    </message>
    <message>
        <source>Cursor</source>
        <translation>游标</translation>
    </message>
    <message>
        <source>A vertical line that reads every curve</source>
        <translation>读取所有曲线数值的竖线</translation>
    </message>
    <message>
        <source>Drag a point here to add it</source>
        <translation>将测点拖到此处以添加</translation>
    </message>
    <message>
        <source>value</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
</context>
<context>
    <name>WallDisplay</name>
    <message>
        <source>Alarms, whole city: {n}</source>
        <translation>全市报警：{n}</translation>
    </message>
    <message>
        <source>Alarms in {district}: {n}</source>
        <translation>{district}报警：{n}</translation>
    </message>
    <message>
        <source>Whole city</source>
        <translation>全市</translation>
    </message>
</context>
<context>
    <name>WallWindow</name>
    <message>
        <source>{title} — wall display — {network}</source>
        <translation>{title} — 大屏 — {network}</translation>
    </message>
    <message>
        <source>simulated time ×{scale}</source>
        <translation>模拟时间 ×{scale}：报警延时按模拟时钟计</translation>
    </message>
</context>
<context>
    <name>_BannerLine</name>
    <message>
        <source>({n} alarms)</source>
        <translation>（{n} 条报警）</translation>
    </message>
    <message>
        <source>Click to open the station</source>
        <translation>点击打开该热力站</translation>
    </message>
</context>
<context>
    <name>_WallAlarmList</name>
    <message>
        <source>{what}: {n} rooms</source>
        <translation>{what}：{n} 个房间</translation>
    </message>
    <message>
        <source>coldest {temp} °C</source>
        <translation>最低 {temp} °C</translation>
    </message>
    <message>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <source>cleared, not acknowledged</source>
        <translation>已恢复，未确认</translation>
    </message>
    <message>
        <source>No active alarms</source>
        <translation>无活动报警</translation>
    </message>
    <message>
        <source>… and {n} more</source>
        <translation>… 另有 {n} 条</translation>
    </message>
</context>
<context>
    <name>_WallMap</name>
    <message>
        <source>no communication</source>
        <translation>通讯故障</translation>
    </message>
    <message>
        <source>{n} more stations in alarm: see the list</source>
        <translation>另有 {n} 个报警热力站：见报警列表</translation>
    </message>
</context>
<context>
    <name>_WallShares</name>
    <message>
        <source>Share of rooms below their limit, by district</source>
        <translation>各区域室温低于限值的房间比例</translation>
    </message>
    <message>
        <source>Share of rooms below {limit} °C, by district</source>
        <translation>各区域室温低于 {limit} °C 的房间比例</translation>
    </message>
    <message>
        <source>no room temperatures yet</source>
        <translation>尚无室温数据</translation>
    </message>
</context>
<context>
    <name>_WallTiles</name>
    <message>
        <source>Outdoor</source>
        <translation>室外温度</translation>
    </message>
    <message>
        <source>city average</source>
        <translation>全市平均</translation>
    </message>
    <message>
        <source>Rooms below {limit} °C</source>
        <translation>室温低于 {limit} °C</translation>
    </message>
    <message>
        <source>Rooms below their limit</source>
        <translation>室温低于限值</translation>
    </message>
    <message>
        <source>Stations in alarm</source>
        <translation>报警热力站</translation>
    </message>
    <message>
        <source>worst: {priority}</source>
        <translation>最高：{priority}</translation>
    </message>
    <message>
        <source>no active alarms</source>
        <translation>无活动报警</translation>
    </message>
    <message>
        <source>Unacknowledged</source>
        <translation>未确认报警</translation>
    </message>
    <message>
        <source>highest: {priority}</source>
        <translation>最高：{priority}</translation>
    </message>
    <message>
        <source>all acknowledged</source>
        <translation>全部已确认</translation>
    </message>
    <message>
        <source>Stations communicating</source>
        <translation>热力站通讯正常率</translation>
    </message>
    <message>
        <source>no data yet</source>
        <translation>尚无数据</translation>
    </message>
    <message>
        <source>{failed} failed, {stale} stale</source>
        <translation>{failed} 站通讯故障，{stale} 站数据过期</translation>
    </message>
    <message>
        <source>all stations reporting</source>
        <translation>全部热力站通讯正常</translation>
    </message>
</context>
<context>
    <name>adapters</name>
    <message>
        <source>simulated time ×{scale}: alarm delays run on the simulation&apos;s clock</source>
        <translation>仿真时间 ×{scale}：报警延时按仿真时钟计时</translation>
    </message>
    <message>
        <source>journal cannot write safely</source>
        <translation>日志无法安全写入</translation>
    </message>
    <message>
        <source>history cannot write</source>
        <translation>历史数据无法写入</translation>
    </message>
    <message>
        <source>SERVER LINK LOST since {since} — values are stale, actions are not sent</source>
        <translation>与服务器的连接自 {since} 起中断 — 数据已过期，操作不会下发</translation>
    </message>
    <message>
        <source>server of {servers} not answering — its stations are stale</source>
        <translation>{servers} 的服务器无响应 — 其热力站数据已过期</translation>
    </message>
    <message>
        <source>waiting for the servers&apos; description of the network…</source>
        <translation>正在等待服务器发送管网描述…</translation>
    </message>
    <message>
        <source>journal: writing ({n} committed)</source>
        <translation>日志：正在写入（已提交 {n} 条）</translation>
    </message>
    <message>
        <source>journal: closed ({n} not written)</source>
        <translation>日志：已关闭（{n} 条未写入）</translation>
    </message>
    <message>
        <source>journal: off</source>
        <translation>日志：关闭</translation>
    </message>
    <message>
        <source>journal: on the server</source>
        <translation>日志：在服务器上</translation>
    </message>
    <message>
        <source>{room}: {text}</source>
        <translation>{room}：{text}</translation>
    </message>
    <message>
        <source>shared journal cannot write</source>
        <translation>共享日志无法写入</translation>
    </message>
    <message>
        <source>{text} — {value}{unit}, limit {limit}{unit}</source>
        <translation>{text} — {value}{unit}，限值 {limit}{unit}</translation>
    </message>
    <message>
        <source>{text} ≈ {rate} m³/h since {since}</source>
        <translation>{text} ≈ {rate} m³/h，始于 {since}</translation>
    </message>
    <message>
        <source>{n} below {limit} °C</source>
        <translation>{n} 间低于 {limit} °C</translation>
    </message>
    <message>
        <source>{n} back above {limit} °C</source>
        <translation>{n} 间已回升至 {limit} °C 以上</translation>
    </message>
    <message>
        <source>{n} cold</source>
        <translation>{n} 间偏冷</translation>
    </message>
    <message>
        <source>{n} sensor fault</source>
        <translation>{n} 个传感器故障</translation>
    </message>
    <message>
        <source>{n} sensor faults</source>
        <translation>{n} 个传感器故障</translation>
    </message>
    <message>
        <source>{n} other</source>
        <translation>{n} 个其他</translation>
    </message>
    <message>
        <source>{n} room</source>
        <translation>{n} 个房间</translation>
    </message>
    <message>
        <source>{n} rooms</source>
        <translation>{n} 个房间</translation>
    </message>
    <message>
        <source>{rooms}: {parts}</source>
        <translation>{rooms}：{parts}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <source> · coldest {value} °C</source>
        <translation> · 最低 {value} °C</translation>
    </message>
    <message>
        <source> · coldest now {value} °C</source>
        <translation> · 现最低 {value} °C</translation>
    </message>
</context>
<context>
    <name>forecast</name>
    <message>
        <source>Outdoor forecast issued {time} ({age} h ago) · band 90 %</source>
        <translation>室外气温预报发布于 {time}（{age} 小时前）· 置信带 90 %</translation>
    </message>
    <message>
        <source>Outdoor forecast STALE, issued {time} ({age} h ago): room forecasts not shown</source>
        <translation>室外气温预报已过期，发布于 {time}（{age} 小时前）：不显示室温预测</translation>
    </message>
    <message>
        <source>NO outdoor forecast ({why}): room forecasts not shown</source>
        <translation>无室外气温预报（{why}）：不显示室温预测</translation>
    </message>
    <message>
        <source>Outdoor forecast INVALID ({why}): room forecasts not shown</source>
        <translation>室外气温预报无效（{why}）：不显示室温预测</translation>
    </message>
    <message>
        <source>Room forecast: starting (fitting the models)…</source>
        <translation>室温预测：启动中（正在拟合模型）…</translation>
    </message>
    <message>
        <source>model R² {r2} · error at 6 h {e6} °C · fitted on {h} h of history, {age} h ago</source>
        <translation>模型 R² {r2} · 6 小时误差 {e6} °C · 基于 {h} 小时历史拟合，{age} 小时前</translation>
    </message>
    <message>
        <source>model not fitted yet: {have} of {need} h of history</source>
        <translation>模型尚未拟合：历史 {have} / {need} 小时</translation>
    </message>
    <message>
        <source> · no forecast: recent room data missing</source>
        <translation> · 无预测：缺少最近的室温数据</translation>
    </message>
    <message>
        <source>Forecast: coldest rooms below {limit} °C in ~{hours} h (≈ {clock})</source>
        <translation>预警：最冷房间预计约 {hours} 小时后（≈ {clock}）低于 {limit} °C</translation>
    </message>
</context>
<context>
    <name>locale_format</name>
    <message>
        <source>MM-dd HH:mm:ss</source>
        <translation>M月d日 HH:mm:ss</translation>
    </message>
</context>
</TS>
