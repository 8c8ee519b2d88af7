# trial-campaign-data.py: writes the exports of tests/sql/trial-campaign.sql
# into a folder, as the platforms' downloads look (run with Debian's Python):
#   douyin-daily.xlsx       the Douyin account's daily numbers, written with
#                           openpyxl: real date cells, a totals row (合计)
#   wechat-users.utf8.csv   the service account's user analysis (用户分析);
#                           the test converts it to GBK with iconv
#   events.csv              300 users' events with the channel of each
# 1 January to 15 March 2026 (74 days).  Douyin: 5,000 followers on 31
# December, then net 100 a day in January, 250 in February, 300 in March;
# 5,000 video views, 40 trials and 10 new paid members every day.  WeChat:
# 2,000 followers, then net 65 a day in January, 100 in February, 120 in
# March.  User u first watches a live at 20:00 on day u mod 74; even users
# open the shop 10 minutes later, every fourth starts a trial an hour
# later, every eighth pays 3 days later.
import csv
import datetime
import os
import sys

import openpyxl

out = sys.argv[1]
first = datetime.date(2026, 1, 1)
days = [first + datetime.timedelta(i) for i in range(74)]

book = openpyxl.Workbook()
sheet = book.active
sheet.title = '数据概览'
sheet.append(['date', 'dy_new_followers', 'dy_unfollows', 'dy_net_followers', 'dy_followers',
              'dy_video_views', 'mb_trials', 'mb_new_members'])
followers = 5000
for day in days:
    new = {1: 110, 2: 260, 3: 310}[day.month]
    followers += new - 10
    sheet.append([day, new, 10, new - 10, followers, 5000, 40, 10])
    sheet.cell(sheet.max_row, 1).number_format = 'yyyy-mm-dd'
sheet.append(['合计'])
book.save(os.path.join(out, 'douyin-daily.xlsx'))

with open(os.path.join(out, 'wechat-users.utf8.csv'), 'w', newline='', encoding='utf-8') as f:
    w = csv.writer(f)
    w.writerow(['日期', '新关注人数', '取消关注人数', '净增关注人数', '累积关注人数'])
    followers = 2000
    for day in days:
        new, gone = {1: (70, 5), 2: (105, 5), 3: (130, 10)}[day.month]
        followers += new - gone
        w.writerow([day.isoformat(), new, gone, new - gone, followers])

channels = ['douyin_live', 'wechat_menu', 'friends']
with open(os.path.join(out, 'events.csv'), 'w', newline='') as f:
    w = csv.writer(f)
    w.writerow(['user_id', 'ts', 'event', 'channel'])
    for user in range(1, 301):
        at = datetime.datetime.combine(days[user % 74], datetime.time(20, 0))
        channel = channels[user % 3]
        w.writerow([user, at.isoformat(' '), 'watch_live', channel])
        if user % 2 == 0:
            w.writerow([user, (at + datetime.timedelta(minutes=10)).isoformat(' '), 'open_shop', channel])
        if user % 4 == 0:
            w.writerow([user, (at + datetime.timedelta(hours=1)).isoformat(' '), 'start_trial', channel])
        if user % 8 == 0:
            w.writerow([user, (at + datetime.timedelta(days=3)).isoformat(' '), 'pay_member', channel])
